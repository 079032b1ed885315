"""The annual schedule, the raw-folder sensor and the one-run backfill."""

import datetime as dt
import shutil

import dagster as dg
import duckdb
import pytest

from pipelines.defs import defs
from pipelines.defs.resources import resources
from pipelines.messages import say
from tests.conftest import RUBRICS, SEED_RAW


def test_the_schedule_requests_last_fiscal_year_on_1_april():
    schedule = defs.resolve_schedule_def("annual_scoring_schedule")
    assert schedule.cron_schedule == "0 6 1 4 *"
    assert schedule.default_status == dg.DefaultScheduleStatus.STOPPED
    context = dg.build_schedule_context(
        scheduled_execution_time=dt.datetime(2025, 4, 1, 6),
        repository_def=defs.get_repository_def(),
    )
    [request] = schedule.evaluate_tick(context).run_requests
    assert (request.partition_key, request.run_key) == ("2024", "annual-2024")


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
    assert [r.partition_key for r in first.run_requests] == ["2023"]
    quiet = sensor_tick(raw, first.cursor)
    assert quiet.run_requests == []
    assert quiet.skip_message == say("dagster.automation.no_change", folder=raw)


def test_a_corrected_extract_re_runs_exactly_its_year(raw):
    shutil.copytree(raw / "2023", raw / "2024")
    first = sensor_tick(raw)
    assert sorted(r.partition_key for r in first.run_requests) == ["2023", "2024"]
    budget = raw / "2024" / "budget.csv"
    budget.write_text(budget.read_text("utf-8").replace("18,214.74", "18,300.00"), "utf-8")
    second = sensor_tick(raw, first.cursor)
    [request] = second.run_requests
    assert request.partition_key == "2024"
    before = {r.partition_key: r.run_key for r in first.run_requests}
    assert request.run_key != before["2024"]


def test_a_backfill_of_several_years_is_one_run(tmp_path):
    raw = tmp_path / "raw"
    for year in ("2022", "2023"):
        shutil.copytree(SEED_RAW / "2023", raw / year)
    warehouse = tmp_path / "w.duckdb"
    result = defs.resolve_job_def("backfill_years").execute_in_process(
        run_config={"ops": {"score_years": {"config": {"years": [2023, 2022]}}}},
        resources=resources(raw, RUBRICS, warehouse),
    )
    assert result.success
    materialized = [
        e.event_specific_data.materialization.partition
        for e in result.all_events
        if e.event_type == dg.DagsterEventType.ASSET_MATERIALIZATION
    ]
    assert materialized == ["2022", "2023"]  # oldest first, so 2023 compares with 2022
    with duckdb.connect(str(warehouse), read_only=True) as con:
        runs = con.execute("SELECT year, run_id FROM runs ORDER BY year").fetchall()
        stab = con.execute("SELECT DISTINCT year FROM rank_stability ORDER BY 1").fetchall()
    assert runs == [(2022, result.run_id), (2023, result.run_id)]
    assert stab == [(2022,), (2023,)]
