"""In Dagster, a scored year is re-materialized when last year's scores change.

The automation condition is evaluated by Dagster's own evaluator on the project's
definitions; the materializations it reads are recorded in a real (temporary)
instance, as a run would record them.
"""

import dagster as dg
import pytest

from pipelines.defs import ASSETS, defs

DOWNSTREAM = ("scored_year", "rank_stability", "published_warehouse", "reports")


def materialized(instance, year: int, jurisdiction: str = "beijing") -> None:
    for asset in ASSETS:
        instance.report_runless_asset_event(
            dg.AssetMaterialization(asset_key=asset.key, partition=f"{jurisdiction}|{year}")
        )


def requested(result) -> set[tuple[str, str]]:
    return {
        (key.to_user_string(), partition)
        for key in (a.key for a in ASSETS)
        for partition in result.get_requested_partitions(key)
    }


@pytest.fixture
def instance():
    with dg.instance_for_test() as instance:
        yield instance


def test_a_scored_year_is_requested_again_when_last_year_is_materialized(instance):
    materialized(instance, 2023)
    materialized(instance, 2023, "chongqing")
    first = dg.evaluate_automation_conditions(defs=defs, instance=instance)
    assert requested(first) == set()  # 2022 never loaded: 2023 is what it can be

    materialized(instance, 2022)
    second = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=first.cursor)
    # 2023 and everything after its scores; not 2022 (just done), not 2024 (never
    # scored), not chongqing (another jurisdiction's last year)
    assert requested(second) == {(name, "beijing|2023") for name in DOWNSTREAM}

    third = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=second.cursor)
    assert requested(third) == set()  # requested once, not at every tick


def test_the_sensor_that_re_scores_stale_years_starts_stopped():
    sensor = defs.resolve_sensor_def("stale_years_sensor")
    assert sensor.default_status == dg.DefaultSensorStatus.STOPPED
