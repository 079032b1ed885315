"""ratio: score = min(numerator / denominator, cap) × weight.

Seed, 资金总体: 18214.74 / 19347.12 = 94.15% × 20 = 18.83.
"""

from pipelines.rubric.model import Line
from pipelines.scoring.sql import ident, lit


def lines_sql(code: str, line: Line, label: str, score_places: int) -> str:
    r = line.rule
    cap = lit(r.cap_pct)
    return f"""
    WITH x AS (
        SELECT b.dept_code, b.{ident(r.numerator)} AS num, b.{ident(r.denominator)} AS den,
               jx_pct(b.{ident(r.numerator)}, b.{ident(r.denominator)}) AS rate, l.*
        FROM stg_budget b JOIN scope USING (dept_code)
        CROSS JOIN (SELECT * FROM rubric_lines WHERE line_code = '{ident(code)}') l),
    s AS (SELECT *, ROUND(LEAST(rate, {cap}) * weight * 0.01, {score_places}) AS score FROM x)
    SELECT dept_code, line_code, section, "group", NULL, name, 'ratio', weight,
           jx_amt(den), jx_amt(num), rate, score, NULL,
           printf('%s / %s = %s%%%s × %s = %s (%s · %s)', jx_amt(num), jx_amt(den),
                  jx_rate(rate),
                  CASE WHEN rate > {cap} THEN ', capped at ' || jx_num({cap}) || '%' ELSE '' END,
                  jx_num(weight), jx_score(score), {label}, line_code),
           line_order
    FROM s"""
