"""Declared lines whose ``actual`` is an outcome, not a value: not_applicable or
insufficient_data. The rubric declares the effect of each: ``zero`` scores the line
0; ``reweight`` leaves it out (no score) and its group is scored on the lines that
remain, scaled to the group's weight (see ``pipelines.scoring.aggregate``).
"""

from pipelines.rubric.rules import IndicatorRules
from pipelines.scoring.rules import Scope
from pipelines.scoring.rules.declared import DECLARED_COLUMNS, DECLARED_FROM, with_outcome

KIND = "outcome"


def lines(rule: IndicatorRules, scope: Scope) -> str | None:
    if not rule.outcomes:
        return None
    effects = " ".join(f"WHEN '{o}' THEN '{e}'" for o, e in rule.outcomes.items())
    return f"""
    WITH outcome AS (SELECT {DECLARED_COLUMNS}, CASE i.actual {effects} END AS effect
                     {DECLARED_FROM} {with_outcome()})
    SELECT dept_code, line_code, section, "group", subgroup, name, weight, line_order,
           target, actual, '{KIND}' AS rule_kind, effect,
           CASE effect WHEN 'zero' THEN CAST(0 AS DECIMAL(18,2)) END AS computed_score,
           'outcome.' || effect || ',outcome.ref' AS explain_keys
    FROM outcome"""


def findings(rule: IndicatorRules, scope: Scope) -> list[str]:
    return []


def constants(rule: IndicatorRules, scope: Scope) -> dict:
    return {}
