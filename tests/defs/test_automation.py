"""The annual schedule, the raw-folder sensor and a backfill of several years in one run."""

import datetime as dt
import shutil

import dagster as dg
import duckdb
import pytest

from pipelines.defs import ASSETS, CHECKS, defs
from pipelines.defs.expectations import great_expectations
from pipelines.defs.resources import resources
from pipelines.messages import say
from tests.conftest import RAW, RUBRICS, SEED_RAW
from tests.warehouse.results import rows_apart

QUIET = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}


def test_the_schedule_requests_last_fiscal_year_on_1_april():
    schedule = defs.resolve_schedule_def("annual_scoring_schedule")
    assert schedule.cron_schedule == "0 6 1 4 *"
    assert schedule.default_status == dg.DefaultScheduleStatus.STOPPED
    context = dg.build_schedule_context(
        scheduled_execution_time=dt.datetime(2025, 4, 1, 6),
        resources=resources(RAW, RUBRICS),
        repository_def=defs.get_repository_def(),
    )
    [request] = schedule.evaluate_tick(context).run_requests  # raw/2024 names beijing only
    assert (request.partition_key, request.run_key) == ("beijing|2024", "annual-beijing|2024")


def test_the_schedule_requests_each_jurisdiction_of_the_year_with_a_rubric(tmp_path):
    raw = tmp_path / "raw"
    (raw / "2023").mkdir(parents=True)
    (raw / "2023" / "departments.csv").write_text(
        "部门编码,部门名称,地区\nA,甲,beijing\nB,乙,chongqing\nC,丙,shanghai\n", "utf-8"
    )
    schedule = defs.resolve_schedule_def("annual_scoring_schedule")
    context = dg.build_schedule_context(
        scheduled_execution_time=dt.datetime(2024, 4, 1, 6),
        resources=resources(raw, RUBRICS),
        repository_def=defs.get_repository_def(),
    )
    requested = [r.partition_key for r in schedule.evaluate_tick(context).run_requests]
    assert requested == ["beijing|2023", "chongqing|2023"]  # shanghai has no rubric


@pytest.fixture
def raw(tmp_path):
    shutil.copytree(SEED_RAW / "2023", tmp_path / "raw" / "2023")
    return tmp_path / "raw"


def sensor_tick(raw, cursor=None):
    sensor = defs.resolve_sensor_def("raw_extracts_sensor")
    context = dg.build_sensor_context(
        cursor=cursor, resources=resources(raw, RUBRICS), repository_def=defs.get_repository_def()
    )
    return sensor.evaluate_tick(context)


def test_the_sensor_starts_stopped_and_requests_each_new_year(raw):
    assert defs.resolve_sensor_def("raw_extracts_sensor").default_status == (
        dg.DefaultSensorStatus.STOPPED
    )
    first = sensor_tick(raw)
    assert [r.partition_key for r in first.run_requests] == ["beijing|2023"]
    quiet = sensor_tick(raw, first.cursor)
    assert quiet.run_requests == []
    assert quiet.skip_message == say("dagster.automation.no_change", folder=raw)


def test_a_corrected_extract_re_runs_exactly_its_year(raw):
    shutil.copytree(raw / "2023", raw / "2024")
    first = sensor_tick(raw)
    assert sorted(r.partition_key for r in first.run_requests) == ["beijing|2023", "beijing|2024"]
    budget = raw / "2024" / "budget.csv"
    budget.write_text(budget.read_text("utf-8").replace("18,214.74", "18,300.00"), "utf-8")
    second = sensor_tick(raw, first.cursor)
    [request] = second.run_requests
    assert request.partition_key == "beijing|2024"
    before = {r.partition_key: r.run_key for r in first.run_requests}
    assert request.run_key != before["beijing|2024"]


# A backfill as Dagster runs it: the assets and their checks over a partition range in one
# run, with the tags a backfill of the job annual_scoring, the UI's "Single run" and
# `dg launch --partition-range` give it. Reports and Great Expectations are left out:
# they run per year through the same code, and cost seconds a year.
SCORING = [a for a in ASSETS if a.key.to_user_string() != "reports"]
SCORING_CHECKS = [
    c
    for c in CHECKS
    if c is not great_expectations
    and all(k.asset_key in {a.key for a in SCORING} for k in c.check_keys)
]
YEARS = ["2022", "2023", "2024"]
KEYS = [f"beijing|{year}" for year in YEARS]
RANGE = {
    "dagster/asset_partition_range_start": "beijing|2022",
    "dagster/asset_partition_range_end": "beijing|2024",
}


def scoring_run(warehouse, checks=True, raw=RAW, **partitions):
    return dg.materialize(
        [*SCORING, *(SCORING_CHECKS if checks else [])],
        resources=resources(raw, RUBRICS, warehouse),
        raise_on_error=False,
        run_config=QUIET,
        **partitions,
    )


def test_a_backfill_of_2022_to_2024_is_one_run_of_the_assets_and_scores_as_single_years(
    tmp_path,
):
    backfill = tmp_path / "backfill.duckdb"
    result = scoring_run(backfill, tags=RANGE)
    assert result.success

    # one run, one step per asset, each year's materialization from it
    steps = sorted(e.step_key for e in result.get_step_success_events())
    assert steps == sorted([a.op.name for a in SCORING] + [c.node_def.name for c in SCORING_CHECKS])
    for asset in SCORING:
        events = result.asset_materializations_for_node(asset.op.name)
        # in the order Dagster lists them; each asset did them oldest first
        assert sorted(e.partition for e in events) == KEYS, asset.key
    scored = {
        e.partition: e.metadata[say("dagster.meta.scored")].value
        for e in result.asset_materializations_for_node("scored_year")
    }
    assert scored == dict.fromkeys(KEYS, 40)  # 40 rows in each departments.csv

    # every check of each year
    names = {key.name for c in SCORING_CHECKS for key in c.check_keys}
    evaluated = sorted((e.check_name, e.partition) for e in result.get_asset_check_evaluations())
    assert evaluated == sorted((name, key) for name in names for key in KEYS)

    # the warehouse holds the three years from this run
    with duckdb.connect(str(backfill), read_only=True) as con:
        runs = con.execute("SELECT year, run_id FROM runs ORDER BY year").fetchall()
        ranked = con.execute("SELECT DISTINCT year FROM rank_stability ORDER BY 1").fetchall()
    assert runs == [(int(y), result.run_id) for y in YEARS]
    assert ranked == [(int(y),) for y in YEARS]

    # the same scores as three runs of one year each, oldest first (checks: seen above)
    single = tmp_path / "single.duckdb"
    for year in YEARS:
        assert scoring_run(single, checks=False, partition_key=f"beijing|{year}").success
    tables = ("department_scores", "line_scores")
    assert rows_apart(backfill, single, tables) == dict.fromkeys(tables, 0)


def test_a_year_that_blocks_stops_the_backfill_before_any_year_is_scored(tmp_path):
    raw = tmp_path / "raw"
    for year in YEARS:
        shutil.copytree(RAW / year, raw / year)
    (raw / "2023" / "budget.csv").unlink()
    result = scoring_run(tmp_path / "w.duckdb", raw=raw, tags=RANGE)
    assert not result.success
    usable = {
        e.partition: (e.passed, e.severity)
        for e in result.get_asset_check_evaluations()
        if e.check_name == "extracts_usable"
    }
    assert usable == {
        "beijing|2022": (True, dg.AssetCheckSeverity.ERROR),
        "beijing|2023": (False, dg.AssetCheckSeverity.ERROR),
        "beijing|2024": (True, dg.AssetCheckSeverity.ERROR),
    }
    assert result.asset_materializations_for_node("scored_year") == []
    assert not (tmp_path / "w.duckdb").exists()  # nothing published
