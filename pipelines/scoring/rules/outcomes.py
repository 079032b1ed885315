"""Declared lines whose ``actual`` is an outcome, not a value: not_applicable or
insufficient_data. The rubric declares the effect of each: ``zero`` scores the line
0; ``reweight`` leaves it out (no score) and its group is scored on the lines that
remain, scaled to the group's weight (see ``pipelines.scoring.aggregate``).
"""

from pipelines.rubric.rules import IndicatorRules
from pipelines.scoring.rules.declared import DECLARED_COLUMNS, DECLARED_FROM, with_outcome


def lines_sql(rules: IndicatorRules, label: str) -> str | None:
    if not rules.outcomes:
        return None
    effects = " ".join(f"WHEN '{o}' THEN '{e}'" for o, e in rules.outcomes.items())
    return f"""
    WITH x AS (SELECT {DECLARED_COLUMNS}, i.kind, CASE i.actual {effects} END AS effect
               {DECLARED_FROM} {with_outcome()})
    SELECT dept_code, line_code, section, "group", subgroup, name, 'outcome', weight,
           target, actual, NULL,
           CASE effect WHEN 'zero' THEN CAST(0 AS DECIMAL(18,2)) END, NULL,
           'actual ' || actual || ': ' || CASE effect
               WHEN 'zero' THEN 'scored 0 of ' || jx_num(weight)
               ELSE 'left out; the group is re-weighted over its other lines' END
           || ' (' || {label} || ' · outcomes.' || actual || ': ' || effect || ')',
           row_number
    FROM x"""
