"""A scored year whose last year changed is scored again, in Dagster as in ``jixiao run``.

``scored_year`` of year N depends on ``scored_year`` of N − 1 (its carryover line
compares with last year's staged rows). When N − 1 is materialized again, N's
dependency has updated: the condition below requests N, and the assets after it
follow in the same tick (Dagster counts a dependency that will be requested as
updated). Only years already scored are re-scored: a year never loaded stays
missing until its extracts arrive. The sensor starts stopped, like the schedule.
"""

import dagster as dg

from pipelines.messages import say

RESCORE_WHEN_LAST_YEAR_CHANGES = (
    ~dg.AutomationCondition.missing()
    & dg.AutomationCondition.any_deps_updated().since_last_handled()
    & ~dg.AutomationCondition.any_deps_missing()
    & ~dg.AutomationCondition.any_deps_in_progress()
    & ~dg.AutomationCondition.in_progress()
).with_label(say("dagster.automation.rescore_label"))


def stale_years_sensor_for(assets) -> dg.AutomationConditionSensorDefinition:
    return dg.AutomationConditionSensorDefinition(
        "stale_years_sensor",
        target=dg.AssetSelection.assets(*assets),
        default_status=dg.DefaultSensorStatus.STOPPED,
        description=say("dagster.sensor.stale_years_sensor"),
    )
