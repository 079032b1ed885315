"""What the declared-indicator kinds share: where the rows come from, the achievement
rate by direction, and the words that explain it.

A row whose ``actual`` is a non-numeric outcome (``not_applicable``,
``insufficient_data``) is scored by ``outcomes``, never by a rate.
"""

from pipelines.scoring.sql import lit

OUTCOME_TOKENS = ("not_applicable", "insufficient_data")
_TOKENS = ", ".join(f"'{t}'" for t in OUTCOME_TOKENS)

DECLARED_FROM = """
    FROM stg_indicators i JOIN scope USING (dept_code)
    JOIN rubric_groups g ON g."group" = i."group" AND g.declared """

DECLARED_COLUMNS = """i.dept_code, i.line_code, g.section, i."group", i.subgroup, i.name,
    i.direction, i.target, i.actual, CAST(i.weight AS DECIMAL(18,4)) AS weight, i.row_number"""


def with_value(kind: str) -> str:
    """WHERE clause: declared lines of ``kind`` that carry a value, not an outcome."""
    return f"WHERE i.kind = '{kind}' AND i.actual NOT IN ({_TOKENS})"


def with_outcome() -> str:
    return f"WHERE i.actual IN ({_TOKENS})"


def achievement_cte(reverse_zero_pct) -> str:
    """CTE ``r``: quantitative lines with t (target), a (actual) and rate (percent)."""
    zero = lit(reverse_zero_pct)
    return f"""
    x AS (SELECT {DECLARED_COLUMNS},
                 CAST(i.target AS DECIMAL(18,4)) AS t, CAST(i.actual AS DECIMAL(18,4)) AS a
          {DECLARED_FROM} {with_value("quantitative")}),
    r AS (SELECT *, CASE WHEN direction = 'reverse'
                         THEN CASE WHEN a = 0 THEN {zero} ELSE jx_pct(t, a) END
                         ELSE jx_pct(a, t) END AS rate FROM x)"""


def explain_rate(reverse_zero_pct) -> str:
    zero = lit(reverse_zero_pct)
    return f"""CASE WHEN direction = 'reverse' AND a = 0
                THEN 'reverse line, actual 0: ' || jx_num({zero}) || '%'
                WHEN direction = 'reverse'
                THEN 'reverse: target ' || jx_num(t) || ' / actual ' || jx_num(a) || ' = '
                     || jx_rate(rate) || '%'
                ELSE 'actual ' || jx_num(a) || ' / target ' || jx_num(t) || ' = '
                     || jx_rate(rate) || '%' END"""
