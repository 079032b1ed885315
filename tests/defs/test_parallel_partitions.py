"""Two partitions (jurisdiction × year) run at the same time, each a run of its own under
Dagster's multiprocess executor, into one warehouse.

That they overlap is shown without the clock: each run's staging step waits at the
stage ``staging`` until both have reached it (``pipelines.faults``); run one after the
other, the first would wait alone and fail. Both then write the warehouse, taking turns
on its writer lock, and the warehouse holds what scoring the year whole gives.
"""

import os
import subprocess
import sys

import dagster as dg
import duckdb

from pipelines.annual import run_year
from pipelines.warehouse.publish import working_path
from tests.conftest import ROOT, RUBRICS
from tests.warehouse.results import rows_apart
from tests.warehouse.test_two_jurisdictions import _both

KEYS = ("beijing|2023", "chongqing|2023")


def test_two_jurisdictions_of_a_year_run_at_once_and_both_land(tmp_path):
    raw = _both(tmp_path / "raw")
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    # the instance's storage is created once, here: two processes creating it at the same
    # moment race on its SQLite tables ("table … already exists")
    with dg.DagsterInstance.from_config(str(home)) as instance:
        assert instance.get_runs() == []
    warehouse = tmp_path / "warehouse" / "jixiao.duckdb"
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "JIXIAO_RAW_DIR": str(raw),
        "JIXIAO_RUBRICS_DIR": str(RUBRICS),
        "JIXIAO_WAREHOUSE": str(warehouse),
        "JIXIAO_STAGING_DIR": str(tmp_path / "staging"),
        "JIXIAO_DOCUMENTS_DIR": str(tmp_path / "documents"),
        "JIXIAO_MEET_AT": "staging",
        "JIXIAO_MEET_DIR": str(tmp_path / "met"),
        "JIXIAO_MEET_COUNT": "2",
        "PYTHONPATH": str(ROOT),
    }
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.defs.partition_job", key],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for key in KEYS
    ]
    done = [run.communicate(timeout=900) for run in runs]
    for run, (out, err) in zip(runs, done, strict=True):
        assert run.returncode == 0, (out, err[-3000:])
    assert len(list((tmp_path / "met").iterdir())) == 2  # both staging steps met there

    # the instance holds both runs, each of its own partition, each in step processes
    with dg.DagsterInstance.from_config(str(home)) as instance:
        records = instance.get_run_records()
        partitions = sorted(r.dagster_run.tags["dagster/partition"] for r in records)
        assert partitions == sorted(KEYS)
        assert all(r.dagster_run.status == dg.DagsterRunStatus.SUCCESS for r in records)
        for record in records:
            started = instance.all_logs(
                record.dagster_run.run_id, of_type=dg.DagsterEventType.STEP_WORKER_STARTED
            )
            assert started, "the steps ran in processes of their own"
        run_of = {r.dagster_run.tags["dagster/partition"]: r.dagster_run.run_id for r in records}

    # each run wrote its jurisdiction, and together they are the year scored whole
    working = working_path(warehouse)  # rank_stability's step: nothing published yet
    whole = tmp_path / "whole.duckdb"
    run_year(raw, RUBRICS, whole, 2023)
    with duckdb.connect(str(working), read_only=True) as con:
        runs = con.execute("SELECT jurisdiction, run_id FROM runs ORDER BY 1").fetchall()
        scored = con.execute("SELECT count(*) FROM department_scores").fetchone()[0]
    assert runs == [("beijing", run_of["beijing|2023"]), ("chongqing", run_of["chongqing|2023"])]
    assert scored == 3
    tables = ("department_scores", "line_scores", "findings", "rejected_rows")
    assert rows_apart(working, whole, tables) == dict.fromkeys(tables, 0)
