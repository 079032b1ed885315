"""indicator_ratio: a department's quantitative line (产出/效果, kind quantitative).

positive: rate = actual / target; reverse: rate = target / actual (the rubric's
``reverse_zero_actual_pct`` when actual is 0); score = min(rate, cap) × weight.
Over-achievement (positive lines only): over = (actual − target) / target, compared
exactly (no rounding) with each band's edge, edge included; the highest band met
deducts its share of the weight; never below 0.
"""

from pipelines.rubric.rules import IndicatorRatio
from pipelines.scoring.rules.declared import achievement_cte, explain_rate
from pipelines.scoring.sql import lit


def lines_sql(rule: IndicatorRatio, label: str, score_places: int) -> str:
    cap = lit(rule.cap_pct)
    bands = sorted(rule.over_achievement, key=lambda b: b.min_over_pct, reverse=True)
    penalty = " ".join(
        f"WHEN direction = 'positive' AND (a - t) * 100 >= {lit(b.min_over_pct)} * t "
        f"THEN {lit(b.deduct_pct_of_weight)} || '|' || {lit(b.min_over_pct)}"
        for b in bands
    )
    penalty_sql = f"CASE {penalty} END" if bands else "NULL"
    return f"""
    WITH {achievement_cte(rule.reverse_zero_actual_pct)},
    b AS (SELECT *, {penalty_sql} AS band FROM r),
    p AS (SELECT *, CAST(split_part(band, '|', 1) AS DECIMAL(18,4)) AS penalty_pct,
                    split_part(band, '|', 2) AS band_edge,
                    LEAST(rate, {cap}) * weight * 0.01 AS raw FROM b),
    s AS (SELECT *, COALESCE(weight * penalty_pct * 0.01, 0) AS penalty,
                 ROUND(GREATEST(raw - COALESCE(weight * penalty_pct * 0.01, 0), 0),
                       {score_places}) AS score FROM p)
    SELECT dept_code, line_code, section, "group", subgroup, name, 'indicator_ratio', weight,
           target, actual, rate, score, NULL,
           {explain_rate(rule.reverse_zero_actual_pct)}
           || CASE WHEN rate > {cap} THEN ', capped at ' || jx_num({cap}) || '%' ELSE '' END
           || ' × ' || jx_num(weight) || ' = ' || jx_score(ROUND(raw, {score_places}))
           || CASE WHEN penalty_pct IS NULL THEN ''
                   ELSE '; over-achievement (' || jx_num(a) || ' − ' || jx_num(t) || ') / '
                        || jx_num(t) || ' = ' || jx_rate(jx_pct(a - t, t)) || '% ≥ '
                        || jx_num(CAST(band_edge AS DECIMAL(18,4))) || '%: − '
                        || jx_num(penalty_pct) || '% of ' || jx_num(weight) || ' = − '
                        || jx_num(penalty) || ' → ' || jx_score(score) END
           || ' (' || {label} || ' · ' || line_code || ')',
           row_number
    FROM s"""
