"""What the declared-indicator kinds share: where the rows come from, the achievement
rate by direction, and which template tells it.

A row whose ``actual`` is a non-numeric outcome (``not_applicable``,
``insufficient_data``) is scored by ``outcomes``, never by a rate.
"""

from pipelines.scoring.sql import lit

OUTCOME_TOKENS = ("not_applicable", "insufficient_data")
_TOKENS = ", ".join(f"'{t}'" for t in OUTCOME_TOKENS)

DECLARED_FROM = """
    FROM stg_indicators i JOIN scope USING (dept_code)
    JOIN rubric_groups g ON g."group" = i."group" AND g.declared """

# a declared line's place and identity; its order is its row in the extract
DECLARED_COLUMNS = """i.dept_code, i.line_code, g.section, i."group", i.subgroup, i.name,
    i.direction, i.target, i.actual, CAST(i.weight AS DECIMAL(18,4)) AS weight,
    i.row_number AS line_order"""


def with_value(kind: str) -> str:
    """WHERE clause: declared lines of ``kind`` that carry a value, not an outcome."""
    return f"WHERE i.kind = '{kind}' AND i.actual NOT IN ({_TOKENS})"


def with_outcome() -> str:
    return f"WHERE i.actual IN ({_TOKENS})"


def achievement_ctes(reverse_zero_pct) -> str:
    """CTEs ``quantitative`` (t: target, a: actual) and ``achieved`` (+ rate_pct)."""
    zero = lit(reverse_zero_pct)
    return f"""
    quantitative AS (
        SELECT {DECLARED_COLUMNS},
               CAST(i.target AS DECIMAL(18,4)) AS t, CAST(i.actual AS DECIMAL(18,4)) AS a
        {DECLARED_FROM} {with_value("quantitative")}),
    achieved AS (
        SELECT *, CASE WHEN direction = 'reverse'
                       THEN CASE WHEN a = 0 THEN {zero} ELSE jx_pct(t, a) END
                       ELSE jx_pct(a, t) END AS rate_pct FROM quantitative)"""


# the template of the achievement rate, by direction (a reverse line with actual 0
# achieves the rubric's reverse_zero_actual_pct)
ACHIEVEMENT_KEY = """CASE WHEN direction = 'reverse' AND a = 0 THEN 'achieve.reverse_zero'
    WHEN direction = 'reverse' THEN 'achieve.reverse' ELSE 'achieve.positive' END"""
