"""indicator_ratio: a department's quantitative line (产出/效果, kind quantitative).

positive: rate = actual / target; reverse: rate = target / actual (the rubric's
``reverse_zero_actual_pct`` when actual is 0); score = min(rate, cap) × weight.
Over-achievement (positive lines only): over = (actual − target) / target, compared
exactly (no rounding) with each band's edge, edge included; the highest band met
deducts its share of the weight; never below 0.
"""

from pipelines.rubric.rules import IndicatorRatio
from pipelines.scoring.sql import lit

DECLARED_FROM = """
    FROM stg_indicators i JOIN scope USING (dept_code)
    JOIN rubric_groups g ON g."group" = i."group" AND g.declared """


def lines_sql(rule: IndicatorRatio, label: str, score_places: int) -> str:
    cap, zero = lit(rule.cap_pct), lit(rule.reverse_zero_actual_pct)
    bands = sorted(rule.over_achievement, key=lambda b: b.min_over_pct, reverse=True)
    penalty = " ".join(
        f"WHEN direction = 'positive' AND (a - t) * 100 >= {lit(b.min_over_pct)} * t "
        f"THEN {lit(b.deduct_pct_of_weight)} || '|' || {lit(b.min_over_pct)}"
        for b in bands
    )
    penalty_sql = f"CASE {penalty} END" if bands else "NULL"
    return f"""
    WITH x AS (
        SELECT i.dept_code, i.line_code, g.section, i."group", i.subgroup, i.name, i.direction,
               i.target, i.actual, CAST(i.weight AS DECIMAL(18,4)) AS weight, i.row_number,
               CAST(i.target AS DECIMAL(18,4)) AS t, CAST(i.actual AS DECIMAL(18,4)) AS a
        {DECLARED_FROM}
        WHERE i.kind = 'quantitative'),
    r AS (SELECT *, CASE WHEN direction = 'reverse'
                         THEN CASE WHEN a = 0 THEN {zero} ELSE jx_pct(t, a) END
                         ELSE jx_pct(a, t) END AS rate,
                    {penalty_sql} AS band FROM x),
    p AS (SELECT *, CAST(split_part(band, '|', 1) AS DECIMAL(18,4)) AS penalty_pct,
                    split_part(band, '|', 2) AS band_edge,
                    LEAST(rate, {cap}) * weight * 0.01 AS raw FROM r),
    s AS (SELECT *, COALESCE(weight * penalty_pct * 0.01, 0) AS penalty,
                 ROUND(GREATEST(raw - COALESCE(weight * penalty_pct * 0.01, 0), 0),
                       {score_places}) AS score FROM p)
    SELECT dept_code, line_code, section, "group", subgroup, name, 'indicator_ratio', weight,
           target, actual, rate, score, NULL,
           CASE WHEN direction = 'reverse' AND a = 0
                THEN 'reverse line, actual 0: ' || jx_num({zero}) || '%'
                WHEN direction = 'reverse'
                THEN 'reverse: target ' || jx_num(t) || ' / actual ' || jx_num(a) || ' = '
                     || jx_rate(rate) || '%'
                ELSE 'actual ' || jx_num(a) || ' / target ' || jx_num(t) || ' = '
                     || jx_rate(rate) || '%' END
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
