"""indicator_ratio: a department's quantitative line (产出/效果, kind quantitative).

positive: rate = actual / target; reverse: rate = target / actual (the rubric's
``reverse_zero_actual_pct`` when actual is 0); score = min(rate, cap) × weight.
Over-achievement (positive lines only): over = (actual − target) / target, compared
exactly (no rounding) with each band's edge, edge included; the highest band met
deducts its share of the weight; never below 0.
"""

from pipelines.rubric.rules import IndicatorRatio
from pipelines.scoring.rules import Scope
from pipelines.scoring.rules.common import ref_key
from pipelines.scoring.rules.declared import ACHIEVEMENT_KEY, achievement_ctes
from pipelines.scoring.sql import lit

KIND = "indicator_ratio"


def _over_band(rule: IndicatorRatio, column: str) -> str:
    """CASE over the over-achievement bands, highest first, yielding ``column``."""
    bands = sorted(rule.over_achievement, key=lambda b: b.min_over_pct, reverse=True)
    whens = " ".join(
        f"WHEN direction = 'positive' AND (a - t) * 100 >= {lit(b.min_over_pct)} * t "
        f"THEN {lit(getattr(b, column))}"
        for b in bands
    )
    return f"CASE {whens} END" if bands else "CAST(NULL AS DECIMAL(18,4))"


def lines(rule: IndicatorRatio, scope: Scope) -> str:
    cap = lit(rule.cap_pct)
    places = scope.score_places
    return f"""
    WITH {achievement_ctes(rule.reverse_zero_actual_pct)},
    over_achieved AS (
        SELECT *, {_over_band(rule, "deduct_pct_of_weight")} AS penalty_pct,
               {_over_band(rule, "min_over_pct")} AS over_edge_pct,
               LEAST(rate_pct, {cap}) * weight * 0.01 AS unrounded
        FROM achieved),
    scored AS (
        SELECT *, weight * penalty_pct * 0.01 AS penalty,
               ROUND(GREATEST(unrounded - COALESCE(weight * penalty_pct * 0.01, 0), 0),
                     {places}) AS computed_score
        FROM over_achieved)
    SELECT dept_code, line_code, section, "group", subgroup, name, weight, line_order,
           target, actual, '{KIND}' AS rule_kind, computed_score,
           ROUND(unrounded, {places}) AS raw_score, rate_pct,
           CASE WHEN penalty_pct IS NOT NULL THEN jx_pct(a - t, t) END AS over_pct,
           over_edge_pct, penalty_pct,
           {ACHIEVEMENT_KEY} || CASE WHEN rate_pct > {cap} THEN ',capped' ELSE '' END
               || ',times_weight_raw'
               || CASE WHEN penalty_pct IS NULL THEN '' ELSE ',over.penalty' END
               || ',{ref_key()}' AS explain_keys
    FROM scored"""


def findings(rule: IndicatorRatio, scope: Scope) -> list[str]:
    return []


def constants(rule: IndicatorRatio, scope: Scope) -> dict:
    return {"cap_pct": rule.cap_pct}
