"""indicator_bands: a quantitative declared line scored by a coefficient.

The achievement rate (positive: actual / target; reverse: target / actual, the
rubric's ``reverse_zero_actual_pct`` when actual is 0) selects the highest band
whose lower edge it reaches; score = weight × that band's share.
"""

from pipelines.rubric.rules import IndicatorBands
from pipelines.scoring.rules.bands import band_share, explain_band
from pipelines.scoring.rules.declared import achievement_cte, explain_rate


def lines_sql(rule: IndicatorBands, label: str, score_places: int) -> str:
    share, edge = band_share(rule.bands, "rate")
    return f"""
    WITH {achievement_cte(rule.reverse_zero_actual_pct)},
    s AS (SELECT *, {share} AS share, {edge} AS edge FROM r),
    t AS (SELECT *, ROUND(weight * share * 0.01, {score_places}) AS score FROM s)
    SELECT dept_code, line_code, section, "group", subgroup, name, 'indicator_bands', weight,
           target, actual, rate, score, NULL,
           {explain_rate(rule.reverse_zero_actual_pct)} || '; ' || {explain_band(rule.bands)}
           || ' × ' || jx_num(weight) || ' = ' || jx_score(score)
           || ' (' || {label} || ' · ' || line_code || ')',
           row_number
    FROM t"""
