"""checklist: score = max(weight − deduction × failed criteria, 0).

Seed, 财务管理制度健全性: 3 criteria, none failed: 1 − 0 × 0.5 = 1.00.
"""

from pipelines.rubric.rules import Checklist
from pipelines.scoring.rules import Scope
from pipelines.scoring.rules.common import fixed_line, ref_key
from pipelines.scoring.sql import ident, lit

KIND = "checklist"


def lines(rule: Checklist, scope: Scope) -> str:
    per = lit(rule.deduct_per_failure)
    return f"""
    WITH checked AS (
        SELECT dept_code, count(*) AS criteria, count(*) FILTER (WHERE NOT passed) AS failed,
               string_agg(CAST(criterion_no AS VARCHAR), ', ' ORDER BY criterion_no)
                   FILTER (WHERE NOT passed) AS failed_criteria
        FROM stg_checklist JOIN scope USING (dept_code)
        WHERE line_code = '{ident(scope.line.code)}' GROUP BY dept_code),
    scored AS (
        SELECT c.*, line.*, c.failed * {per} AS deduction,
               ROUND(GREATEST(line.weight - c.failed * {per}, 0), {scope.score_places})
                   AS computed_score
        FROM checked c CROSS JOIN {fixed_line(scope)} line)
    SELECT dept_code, line_code, section, "group", name, weight, line_order,
           '{KIND}' AS rule_kind, computed_score, criteria, failed, failed_criteria, deduction,
           'checklist.counts' || CASE WHEN failed > 0 THEN ',checklist.failed_list' ELSE '' END
               || ',checklist.deduction'
               || CASE WHEN weight - deduction < 0 THEN ',floored_at_zero' ELSE '' END
               || ',{ref_key()}' AS explain_keys
    FROM scored"""


def findings(rule: Checklist, scope: Scope) -> list[str]:
    return []


def constants(rule: Checklist, scope: Scope) -> dict:
    return {"deduct_per": rule.deduct_per_failure}
