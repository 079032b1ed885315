"""ratio: score = min(numerator / denominator, cap) × weight.

Seed, 资金总体: 18214.74 / 19347.12 = 94.15% × 20 = 18.83.
"""

from pipelines.rubric.rules import Ratio
from pipelines.scoring.rules import Scope
from pipelines.scoring.rules.common import fixed_line, ref_key
from pipelines.scoring.sql import ident, lit

KIND = "ratio"


def lines(rule: Ratio, scope: Scope) -> str:
    cap = lit(rule.cap_pct)
    num, den = ident(rule.numerator), ident(rule.denominator)
    return f"""
    WITH budget_rate AS (
        SELECT b.dept_code, b.{num} AS numerator, b.{den} AS denominator,
               jx_pct(b.{num}, b.{den}) AS rate_pct
        FROM stg_budget b JOIN scope USING (dept_code)),
    scored AS (
        SELECT r.*, line.*,
               ROUND(LEAST(r.rate_pct, {cap}) * line.weight * 0.01, {scope.score_places})
                   AS computed_score
        FROM budget_rate r CROSS JOIN {fixed_line(scope)} line)
    SELECT dept_code, line_code, section, "group", name, weight, line_order,
           '{KIND}' AS rule_kind, computed_score, rate_pct, numerator, denominator,
           'ratio.derivation' || CASE WHEN rate_pct > {cap} THEN ',capped' ELSE '' END
               || ',times_weight,{ref_key()}' AS explain_keys
    FROM scored"""


def findings(rule: Ratio, scope: Scope) -> list[str]:
    return []


def constants(rule: Ratio, scope: Scope) -> dict:
    return {
        "numerator_column": rule.numerator,
        "denominator_column": rule.denominator,
        "cap_pct": rule.cap_pct,
    }
