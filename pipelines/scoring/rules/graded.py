"""graded: a department's qualitative line, graded 优 > 良 > 中 > 差 (the rubric's list).

The shortfall of the actual grade from the target grade (0 when met or better)
selects a band of the weight. The assessor's ``assessed_score`` counts when present;
outside its band it still counts and a ``warning`` finding says so. Without one,
the band's default share of the weight applies.
"""

from pipelines.rubric.rules import Graded
from pipelines.scoring.rules import Scope
from pipelines.scoring.rules.common import ref_key
from pipelines.scoring.rules.declared import DECLARED_COLUMNS, DECLARED_FROM, with_value

KIND = "graded"

_BANDED = f"""
    WITH graded AS (
        SELECT {DECLARED_COLUMNS}, CAST(i.assessed_score AS DECIMAL(18,4)) AS assessed,
               GREATEST(actual_grade.pos - target_grade.pos, 0) AS shortfall
        {DECLARED_FROM}
        JOIN rubric_grades target_grade ON target_grade.grade = i.target
        JOIN rubric_grades actual_grade ON actual_grade.grade = i.actual
        {with_value("qualitative")})
    SELECT g.*, b.min_share AS share_min_pct, b.max_share AS share_max_pct,
           b.default_share AS default_share_pct,
           g.weight * b.min_share * 0.01 AS low, g.weight * b.max_share * 0.01 AS high
    FROM graded g JOIN rubric_grade_bands b
      ON b.shortfall = LEAST(g.shortfall, (SELECT max(shortfall) FROM rubric_grade_bands))"""


def lines(rule: Graded, scope: Scope) -> str:
    places = scope.score_places
    return f"""
    WITH banded AS ({_BANDED}),
    scored AS (
        SELECT *, COALESCE(ROUND(assessed, {places}),
                           ROUND(weight * default_share_pct * 0.01, {places})) AS computed_score
        FROM banded)
    SELECT dept_code, line_code, section, "group", subgroup, name, weight, line_order,
           target, actual, '{KIND}' AS rule_kind, computed_score, assessed AS assessed_score,
           shortfall,
           CASE WHEN shortfall = 0 THEN 'graded.met' ELSE 'graded.short' END
               || ',graded.band,'
               || CASE WHEN assessed IS NULL THEN 'graded.default' ELSE 'graded.assessed' END
               || CASE WHEN assessed < low OR assessed > high THEN ',graded.outside' ELSE '' END
               || ',{ref_key()}' AS explain_keys
    FROM scored"""


def constants(rule: Graded, scope: Scope) -> dict:
    return {}


def findings(rule: Graded, scope: Scope) -> list[str]:
    return [
        f"""
    WITH banded AS ({_BANDED})
    SELECT dept_code, line_code, 'warning' AS severity, 'assessed_out_of_band' AS code,
           MAP {{'variant': CASE WHEN shortfall = 0 THEN 'met' ELSE 'short' END,
                 'assessed': msg_score(assessed), 'actual': actual, 'target': target,
                 'shortfall': CAST(shortfall AS VARCHAR), 'low': msg_score(low),
                 'high': msg_score(high)}} AS params
    FROM banded WHERE assessed < low OR assessed > high"""
    ]
