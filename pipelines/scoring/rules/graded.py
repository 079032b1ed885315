"""graded: a department's qualitative line, graded 优 > 良 > 中 > 差 (the rubric's list).

The shortfall of the actual grade from the target grade (0 when met or better)
selects a band of the weight. The assessor's ``assessed_score`` counts when present;
outside its band it still counts and a ``warning`` finding says so. Without one,
the band's default share of the weight applies.
"""

from pipelines.rubric.rules import Graded
from pipelines.scoring.rules.declared import DECLARED_FROM, with_value

_BANDED = f"""
    WITH x AS (
        SELECT i.dept_code, i.line_code, g.section, i."group", i.subgroup, i.name, i.target,
               i.actual, CAST(i.weight AS DECIMAL(18,4)) AS weight, i.row_number,
               CAST(i.assessed_score AS DECIMAL(18,4)) AS assessed,
               GREATEST(ap.pos - tp.pos, 0) AS shortfall
        {DECLARED_FROM}
        JOIN rubric_grades tp ON tp.grade = i.target
        JOIN rubric_grades ap ON ap.grade = i.actual
        {with_value("qualitative")})
    SELECT x.*, b.min_share, b.max_share, b.default_share,
           x.weight * b.min_share * 0.01 AS low, x.weight * b.max_share * 0.01 AS high,
           CASE WHEN x.shortfall = 0 THEN 'met or better'
                ELSE CAST(x.shortfall AS VARCHAR) || ' grade(s) short' END AS band_name
    FROM x JOIN rubric_grade_bands b
      ON b.shortfall = LEAST(x.shortfall, (SELECT max(shortfall) FROM rubric_grade_bands))"""


def lines_sql(rule: Graded, label: str, score_places: int) -> str:
    return f"""
    WITH b AS ({_BANDED}),
    s AS (SELECT *, COALESCE(ROUND(assessed, {score_places}),
                             ROUND(weight * default_share * 0.01, {score_places})) AS score
          FROM b)
    SELECT dept_code, line_code, section, "group", subgroup, name, 'graded', weight, target,
           actual, NULL, score, assessed,
           'actual ' || actual || ' vs target ' || target || ' (' || band_name || '): band '
           || jx_num(min_share) || '–' || jx_num(max_share) || '% of ' || jx_num(weight) || ' = '
           || jx_score(low) || '–' || jx_score(high) || '; '
           || CASE WHEN assessed IS NULL
                   THEN 'no assessed score, default ' || jx_num(default_share) || '% × '
                        || jx_num(weight) || ' = ' || jx_score(score)
                   ELSE 'assessed ' || jx_score(score)
                        || CASE WHEN assessed < low OR assessed > high THEN ' (outside the band)'
                                ELSE '' END END
           || ' (' || {label} || ' · ' || line_code || ')',
           row_number
    FROM s"""


def findings_sql(rule: Graded) -> str:
    return f"""
    WITH b AS ({_BANDED})
    SELECT dept_code, line_code, 'warning', 'assessed_out_of_band',
           'assessed score ' || jx_score(assessed) || ' is outside the band for actual '
           || actual || ' vs target ' || target || ' (' || band_name || ': '
           || jx_score(low) || '–' || jx_score(high) || '); it still counts'
    FROM b WHERE assessed < low OR assessed > high"""
