"""step_deduction: a rate compared with a baseline; each whole step of excess deducts.

excess = rate − baseline (percentage points); steps = floor(excess / step), so an
excess of exactly one step counts; score = max(weight − steps × deduction, 0).
With ``proportional: true`` the deduction is excess / step × deduction instead,
computed exactly and rounded half-up at the rubric's score places.
Baseline ``prior_year``: last year's staged figures, else the extract's fallback
column, else no comparison (full weight and an ``info`` finding, never a silent 0).
Baseline ``reference``: a fixed value of the year, e.g. 市级平均差异率 28.3%.
"""

from pipelines.rubric.rules import StepDeduction
from pipelines.scoring.rules import Scope
from pipelines.scoring.rules.common import budget_rate, fixed_line, rate_columns, ref_key
from pipelines.scoring.sql import ident, lit

KIND = "step_deduction"


def _baseline(rule: StepDeduction) -> tuple[str, str, str]:
    """(baseline value SQL, its template key SQL, join clause)."""
    base = rule.baseline
    if base.kind == "reference":
        return lit(base.value_pct), "'baseline.reference'", ""
    prior_rate, *_ = budget_rate(rule, "p")
    fallback = f"b.{ident(base.fallback_column)}"
    key = (
        f"CASE WHEN {prior_rate} IS NOT NULL THEN 'baseline.prior_extracts' "
        f"WHEN {fallback} IS NOT NULL THEN 'baseline.fallback' END"
    )
    return (
        f"COALESCE({prior_rate}, {fallback})",
        key,
        "LEFT JOIN prior_budget p ON p.dept_code = b.dept_code",
    )


def lines(rule: StepDeduction, scope: Scope) -> str:
    rate, num, den, rate_key = budget_rate(rule, "b")
    baseline, baseline_key, join = _baseline(rule)
    step, per = lit(rule.step_pct), lit(rule.deduct_per_step)
    if rule.proportional:  # excess / step × deduction, exactly, rounded at the score
        deduction = f"CASE WHEN excess_pct > 0 THEN jx_quot(excess_pct * {per}, {step}) ELSE 0 END"
        steps_key = "step.proportional"
    else:
        deduction = f"steps * {per}"
        steps_key = "step.whole_steps"
    return f"""
    WITH compared AS (
        SELECT b.dept_code, {num} AS numerator, {den} AS denominator, {rate} AS rate_pct,
               {baseline} AS baseline_pct, {baseline_key} AS baseline_key
        FROM stg_budget b JOIN scope USING (dept_code) {join}),
    stepped AS (SELECT *, rate_pct - baseline_pct AS excess_pct,
                       jx_steps(rate_pct - baseline_pct, {step}) AS steps FROM compared),
    deducted AS (SELECT *, {deduction} AS deduction FROM stepped),
    scored AS (
        SELECT d.*, line.*,
               ROUND(CASE WHEN d.baseline_pct IS NULL THEN line.weight
                          ELSE GREATEST(line.weight - d.deduction, 0) END,
                     {scope.score_places}) AS computed_score
        FROM deducted d CROSS JOIN {fixed_line(scope)} line)
    SELECT dept_code, line_code, section, "group", name, weight, line_order,
           '{KIND}' AS rule_kind, computed_score, rate_pct, numerator, denominator,
           baseline_pct,
           CASE WHEN baseline_pct IS NOT NULL AND excess_pct > 0 THEN steps END AS steps,
           CASE WHEN baseline_pct IS NOT NULL AND excess_pct > 0 THEN deduction END AS deduction,
           '{rate_key},rate.equals,' || CASE
               WHEN baseline_pct IS NULL THEN 'step.no_baseline'
               WHEN excess_pct <= 0 THEN baseline_key || ',step.not_above'
               ELSE baseline_key || ',step.excess,{steps_key},step.deducted'
                    || CASE WHEN weight - deduction < 0 THEN ',step.floored' ELSE '' END
           END || ',{ref_key()}' AS explain_keys
    FROM scored"""


def constants(rule: StepDeduction, scope: Scope) -> dict:
    num_col, den_col = rate_columns(rule)
    base = rule.baseline
    return {
        "numerator_column": num_col,
        "denominator_column": den_col,
        "step_pct": rule.step_pct,
        "deduct_per": rule.deduct_per_step,
        "baseline_name": base.name if base.kind == "reference" else None,
        "baseline_column": base.fallback_column if base.kind == "prior_year" else None,
    }


def findings(rule: StepDeduction, scope: Scope) -> list[str]:
    if rule.baseline.kind != "prior_year":
        return []
    code = ident(scope.line.code)
    prior_rate, *_ = budget_rate(rule, "p")
    col = ident(rule.baseline.fallback_column)
    return [
        f"""
    SELECT b.dept_code, '{code}' AS line_code, 'info' AS severity,
           'no_prior_year_rate' AS code,
           MAP {{'prior_year': '{scope.year - 1}', 'column': '{col}', 'line_code': '{code}'}}
               AS params
    FROM stg_budget b JOIN scope USING (dept_code)
    LEFT JOIN prior_budget p ON p.dept_code = b.dept_code
    WHERE {prior_rate} IS NULL AND b.{col} IS NULL"""
    ]
