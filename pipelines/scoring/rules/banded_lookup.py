"""banded_lookup: a fixed line whose rate, from two budget amounts, selects a band.

score = weight × the share of the highest band whose lower edge (included) the rate
reaches; below every band, 0.
"""

from pipelines.rubric.model import Line
from pipelines.scoring.rules.bands import band_share, explain_band
from pipelines.scoring.rules.step_deduction import rate_sql
from pipelines.scoring.sql import ident


def lines_sql(code: str, line: Line, label: str, score_places: int) -> str:
    rule = line.rule
    rate, derivation = rate_sql(rule, "b")
    share, edge = band_share(rule.bands, "rate")
    return f"""
    WITH x AS (
        SELECT b.dept_code, {rate} AS rate, {derivation} AS derivation, l.*
        FROM stg_budget b JOIN scope USING (dept_code)
        CROSS JOIN (SELECT * FROM rubric_lines WHERE line_code = '{ident(code)}') l),
    s AS (SELECT *, {share} AS share, {edge} AS edge FROM x),
    t AS (SELECT *, ROUND(weight * share * 0.01, {score_places}) AS score FROM s)
    SELECT dept_code, line_code, section, "group", NULL, name, 'banded_lookup', weight,
           NULL, jx_rate(rate) || '%', rate, score, NULL,
           derivation || ' = ' || jx_rate(rate) || '%; ' || {explain_band(rule.bands)}
           || ' × ' || jx_num(weight) || ' = ' || jx_score(score)
           || ' (' || {label} || ' · ' || line_code || ')',
           line_order
    FROM t"""
