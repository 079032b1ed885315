"""step_deduction: a rate compared with a baseline; each whole step of excess deducts.

excess = rate − baseline (percentage points); steps = floor(excess / step), so an
excess of exactly one step counts; score = max(weight − steps × deduction, 0).
With ``proportional: true`` the deduction is excess / step × deduction instead,
computed exactly and rounded half-up at the rubric's score places.
Baseline ``prior_year``: last year's staged figures, else the extract's fallback
column, else no comparison (full weight and an ``info`` finding, never a silent 0).
Baseline ``reference``: a fixed value of the year, e.g. 市级平均差异率 28.3%.
"""

from pipelines.rubric.model import Line
from pipelines.rubric.rules import StepDeduction
from pipelines.scoring.sql import ident, lit


def rate_sql(rule: StepDeduction, alias: str) -> tuple[str, str]:
    """(SQL of the rate in %, SQL of its derivation as text) over table alias ``alias``."""
    r = rule.rate
    if r.kind == "share":
        n, d = f"{alias}.{ident(r.numerator)}", f"{alias}.{ident(r.denominator)}"
        return f"jx_pct({n}, {d})", f"jx_amt({n}) || ' / ' || jx_amt({d})"
    v, b = f"{alias}.{ident(r.value)}", f"{alias}.{ident(r.base)}"
    if r.absolute:
        return (
            f"jx_pct(abs({v} - {b}), {b})",
            f"'|' || jx_amt({v}) || ' − ' || jx_amt({b}) || '| / ' || jx_amt({b})",
        )
    return (
        f"jx_pct({v} - {b}, {b})",
        f"'(' || jx_amt({v}) || ' − ' || jx_amt({b}) || ') / ' || jx_amt({b})",
    )


def _baseline_sql(rule: StepDeduction, year: int) -> tuple[str, str, str]:
    """(baseline value SQL, its description SQL, join clause)."""
    base = rule.baseline
    if base.kind == "reference":
        return (
            lit(base.value_pct),
            f"'{_quote(base.name)} ' || jx_num({lit(base.value_pct)}) || '%'",
            "",
        )
    prior_rate, _ = rate_sql(rule, "p")
    fallback = f"b.{ident(base.fallback_column)}"
    value = f"COALESCE({prior_rate}, {fallback})"
    desc = (
        f"CASE WHEN p.dept_code IS NOT NULL THEN 'last year ' || jx_rate({prior_rate}) "
        f"|| '% ({year - 1} extracts)' ELSE 'last year ' || jx_num({fallback}) "
        f"|| '% ({ident(base.fallback_column)} in the budget extract)' END"
    )
    return value, desc, "LEFT JOIN prior_budget p ON p.dept_code = b.dept_code"


def _quote(text: str) -> str:
    return text.replace("'", "''")


def lines_sql(code: str, line: Line, label: str, score_places: int, year: int) -> str:
    rule = line.rule
    rate, derivation = rate_sql(rule, "b")
    baseline, baseline_desc, join = _baseline_sql(rule, year)
    step, per = lit(rule.step_pct), lit(rule.deduct_per_step)
    if rule.proportional:  # excess / step × deduction, exactly, rounded at the score
        deduction = f"CASE WHEN excess > 0 THEN jx_quot(excess * {per}, {step}) ELSE 0 END"
        steps_words = f"' / ' || jx_num({step}) || ' × ' || jx_num({per}) || ': '"
    else:
        deduction = f"steps * {per}"
        steps_words = (
            f"' = ' || CAST(steps AS VARCHAR) || ' whole step(s) of ' || "
            f"jx_num({step}) || ' × ' || jx_num({per}) || ': '"
        )
    return f"""
    WITH x AS (
        SELECT b.dept_code, {rate} AS rate, {derivation} AS derivation,
               {baseline} AS baseline, {baseline_desc} AS baseline_desc, l.*
        FROM stg_budget b JOIN scope USING (dept_code) {join}
        CROSS JOIN (SELECT * FROM rubric_lines WHERE line_code = '{ident(code)}') l),
    s AS (SELECT *, rate - baseline AS excess, jx_steps(rate - baseline, {step}) AS steps
          FROM x),
    d AS (SELECT *, {deduction} AS deduction FROM s),
    t AS (SELECT *, ROUND(CASE WHEN baseline IS NULL THEN weight
                          ELSE GREATEST(weight - deduction, 0) END, {score_places}) AS score
          FROM d)
    SELECT dept_code, line_code, section, "group", NULL, name, 'step_deduction', weight,
           CASE WHEN baseline IS NULL THEN NULL ELSE jx_num(baseline) || '%' END,
           jx_rate(rate) || '%', rate, score, NULL,
           derivation || ' = ' || jx_rate(rate) || '%; ' || CASE
             WHEN baseline IS NULL THEN 'no rate for last year to compare with: full '
                  || jx_num(weight) || ' = ' || jx_score(score)
             WHEN excess <= 0 THEN baseline_desc || '; ' || jx_rate(rate) || ' − '
                  || jx_num(baseline)
                  || ' = ' || jx_num(excess) || ' points, not above: full ' || jx_num(weight)
                  || ' = ' || jx_score(score)
             ELSE baseline_desc || '; excess ' || jx_num(excess) || ' points'
                  || {steps_words} || jx_num(weight) || ' − ' || jx_num(deduction)
                  || ' = ' || jx_score(score)
                  || CASE WHEN weight - deduction < 0 THEN ' (floored at 0)' ELSE '' END
           END || ' (' || {label} || ' · ' || line_code || ')',
           line_order
    FROM t"""


def findings_sql(code: str, line: Line, year: int) -> str | None:
    rule = line.rule
    if rule.baseline.kind != "prior_year":
        return None
    prior_rate, _ = rate_sql(rule, "p")
    col = ident(rule.baseline.fallback_column)
    return f"""
    SELECT b.dept_code, '{ident(code)}', 'info', 'no_prior_year_rate',
           'no {year - 1} extracts and no {col} in the budget extract: ' ||
           '{ident(code)} was not compared with last year and is scored in full'
    FROM stg_budget b JOIN scope USING (dept_code)
    LEFT JOIN prior_budget p ON p.dept_code = b.dept_code
    WHERE {prior_rate} IS NULL AND b.{col} IS NULL"""
