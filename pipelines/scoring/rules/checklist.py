"""checklist: score = max(weight − deduction × failed criteria, 0).

Seed, 财务管理制度健全性: 3 criteria, none failed: 1 − 0 × 0.5 = 1.00.
"""

from pipelines.rubric.model import Line
from pipelines.scoring.sql import ident, lit


def lines_sql(code: str, line: Line, label: str, score_places: int) -> str:
    per = lit(line.rule.deduct_per_failure)
    return f"""
    WITH c AS (
        SELECT dept_code, count(*) AS n, count(*) FILTER (WHERE NOT passed) AS failed,
               string_agg(CAST(criterion_no AS VARCHAR), ', ' ORDER BY criterion_no)
                   FILTER (WHERE NOT passed) AS failed_list
        FROM stg_checklist JOIN scope USING (dept_code)
        WHERE line_code = '{ident(code)}' GROUP BY dept_code),
    s AS (SELECT c.*, l.*, ROUND(GREATEST(l.weight - c.failed * {per}, 0), {score_places}) AS score
          FROM c CROSS JOIN (SELECT * FROM rubric_lines WHERE line_code = '{ident(code)}') l)
    SELECT dept_code, line_code, section, "group", NULL, name, 'checklist', weight,
           CAST(n AS VARCHAR) || ' criteria', CAST(failed AS VARCHAR) || ' failed',
           NULL, score, NULL,
           printf('%d criteria, %d failed%s: %s − %d × %s = %s%s (%s · %s)', n, failed,
                  CASE WHEN failed > 0 THEN ' (no. ' || failed_list || ')' ELSE '' END,
                  jx_num(weight), failed, jx_num({per}), jx_score(weight - failed * {per}),
                  CASE WHEN weight - failed * {per} < 0 THEN ', floored at 0.00' ELSE '' END,
                  {label}, line_code),
           line_order
    FROM s"""
