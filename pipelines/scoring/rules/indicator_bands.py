"""indicator_bands: a quantitative declared line scored by a coefficient.

The achievement rate (positive: actual / target; reverse: target / actual, the
rubric's ``reverse_zero_actual_pct`` when actual is 0) selects the highest band
whose lower edge it reaches; score = weight × that band's share.
"""

from pipelines.rubric.rules import IndicatorBands
from pipelines.scoring.rules import Scope
from pipelines.scoring.rules.common import band_keys, band_lookup, ref_key
from pipelines.scoring.rules.declared import ACHIEVEMENT_KEY, achievement_ctes

KIND = "indicator_bands"


def lines(rule: IndicatorBands, scope: Scope) -> str:
    return f"""
    WITH {achievement_ctes(rule.reverse_zero_actual_pct)},
    banded AS (SELECT *, {band_lookup(rule.bands, "rate_pct")} FROM achieved),
    scored AS (
        SELECT *, ROUND(weight * coalesce(band_share_pct, 0) * 0.01, {scope.score_places})
                      AS computed_score
        FROM banded)
    SELECT dept_code, line_code, section, "group", subgroup, name, weight, line_order,
           target, actual, '{KIND}' AS rule_kind, computed_score, rate_pct,
           band_min_pct, band_share_pct,
           {ACHIEVEMENT_KEY} || ',' || {band_keys()} || ',band_times,{ref_key()}'
               AS explain_keys
    FROM scored"""


def findings(rule: IndicatorBands, scope: Scope) -> list[str]:
    return []


def constants(rule: IndicatorBands, scope: Scope) -> dict:
    return {"lowest_band_pct": min(b.min_pct for b in rule.bands)}
