"""The Dagster code location: it loads, and a year materializes for real."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines.defs import ASSETS, CHECKS, defs
from pipelines.defs.expectations import great_expectations
from pipelines.defs.partitions import partition_key
from pipelines.defs.resources import resources
from pipelines.messages import say
from tests.conftest import RAW, ROOT, RUBRICS, SEED_RAW

QUIET = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}


def materialize(raw_dir, warehouse, year="2023", lean=True, jurisdiction="beijing"):
    """Every asset and check of ``jurisdiction``'s ``year``; ``lean`` leaves out the
    reports and the Great Expectations suites (the tests about them run them)."""
    assets = [a for a in ASSETS if not (lean and a.key == dg.AssetKey("reports"))]
    kept = {a.key for a in assets}
    checks = [
        c
        for c in CHECKS
        if not (lean and c is great_expectations)
        and all(key.asset_key in kept for key in c.check_keys)
    ]
    return dg.materialize(
        [*assets, *checks],
        partition_key=partition_key(jurisdiction, year),
        resources=resources(raw_dir, RUBRICS, warehouse),
        raise_on_error=False,
        run_config=QUIET,
    )


def checks(result) -> dict[str, tuple[bool, dg.AssetCheckSeverity]]:
    return {e.check_name: (e.passed, e.severity) for e in result.get_asset_check_evaluations()}


def test_definitions_load():
    dg.Definitions.validate_loadable(defs)
    keys = {key.to_user_string() for key in defs.resolve_asset_graph().get_all_asset_keys()}
    assert keys == {
        "department_documents",
        "raw_extracts",
        "staged_extracts",
        "scored_year",
        "rank_stability",
        "published_warehouse",
        "reports",
    }
    jobs = {j.name for j in defs.get_repository_def().get_all_jobs()}
    assert jobs - {"__ASSET_JOB"} == {"annual_scoring", "whatif"}
    # a backfill of several years is Dagster's own, one run (tests/defs/test_automation.py)
    for key in keys:
        policy = defs.resolve_assets_def(key).backfill_policy
        assert policy == dg.BackfillPolicy.single_run(), key


def test_dg_finds_the_code_location_from_pyproject(tmp_path):
    """`make ui` runs `dg dev`: dg reads [tool.dg] in pyproject.toml and loads the same
    definitions (a JSON listing, as `dg list defs --json` prints it)."""
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    venv = Path(sys.executable).parent.parent
    done = subprocess.run(
        [str(venv / "bin" / "dg"), "list", "defs", "--json"],
        cwd=ROOT,
        env={**os.environ, "DAGSTER_HOME": str(home), "VIRTUAL_ENV": str(venv)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    listed = json.loads(done.stdout)
    assert {a["asset_key"] for a in listed["assets"]} == {
        key.to_user_string() for key in defs.resolve_asset_graph().get_all_asset_keys()
    }
    assert {j["name"] for j in listed["jobs"]} == {"annual_scoring", "whatif"}


def test_a_year_depends_on_the_year_before_of_the_same_jurisdiction():
    scored = defs.resolve_assets_def("scored_year")
    assert scored.partitions_def.get_partition_keys_in_range(
        dg.PartitionKeyRange("beijing|2022", "beijing|2023")
    ) == ["beijing|2022", "beijing|2023"]
    mapping = scored.get_partition_mapping(dg.AssetKey("scored_year"))
    upstream = mapping.get_upstream_mapped_partitions_result_for_partitions(
        scored.partitions_def.subset_with_partition_keys(["beijing|2023", "chongqing|2023"]),
        scored.partitions_def,
        scored.partitions_def,
    ).partitions_subset
    assert sorted(upstream.get_partition_keys()) == ["beijing|2022", "chongqing|2022"]


def test_the_jurisdictions_are_the_rubric_folders():
    dims = {
        d.name: d.partitions_def
        for d in defs.resolve_assets_def("scored_year").partitions_def.partitions_defs
    }
    assert dims["jurisdiction"].get_partition_keys() == ["beijing", "chongqing"]  # not drafts/
    assert dims["year"].get_partition_keys()[0] == "2015"


def test_the_seed_year_materializes_with_green_checks(tmp_path):
    result = materialize(RAW, tmp_path / "w.duckdb", lean=False)
    assert result.success
    found = checks(result)
    assert set(found) == {key.name for c in CHECKS for key in c.check_keys}
    assert {"gx_line_scores", "gx_department_scores", "gx_section_scores"} <= set(found)
    assert found.pop("findings_to_review") == (False, dg.AssetCheckSeverity.WARN)  # yellow:
    # synthetic departments publish self-reported scores that disagree (raw/README.md)
    assert all(passed for passed, _ in found.values()), found
    assert found["extracts_usable"][1] == dg.AssetCheckSeverity.ERROR  # blocking
    scored = result.asset_materializations_for_node("scored_year")[0].metadata
    assert scored[say("dagster.meta.scored")].value == 40
    assert scored[say("dagster.meta.refused_rows")].value == 0
    assert "94.83" in scored[say("dagster.meta.ranking", n=20)].value
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        (run_id,) = con.execute("SELECT DISTINCT run_id FROM line_scores").fetchone()
    assert run_id == result.run_id


def evaluations(result, name: str) -> list:
    return [e for e in result.get_asset_check_evaluations() if e.check_name == name]


@pytest.fixture
def raw_copy(tmp_path):
    shutil.copytree(SEED_RAW, tmp_path / "raw")
    return tmp_path / "raw"


def test_a_missing_required_file_blocks_the_year_and_keeps_the_last_good_state(tmp_path, raw_copy):
    warehouse = tmp_path / "w.duckdb"
    first = materialize(raw_copy, warehouse)
    assert first.success
    (raw_copy / "2023" / "budget.csv").unlink()
    second = materialize(raw_copy, warehouse)
    assert not second.success
    assert checks(second)["extracts_usable"] == (False, dg.AssetCheckSeverity.ERROR)
    [usable] = evaluations(second, "extracts_usable")
    assert usable.description.startswith(say("dagster.result.year_not_scored", why=""))
    assert "budget" in usable.metadata[say("dagster.meta.why_the_year_stops")].value
    assert second.asset_materializations_for_node("scored_year") == []
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("SELECT DISTINCT run_id FROM department_scores").fetchall() == [
            (first.run_id,)
        ]


def test_a_refused_row_warns_and_the_year_goes_on(tmp_path, raw_copy):
    path = raw_copy / "2023" / "checklist.csv"
    path.write_text(
        path.read_text("utf-8").replace("BJ-FAO,perf_mgmt,2,是", "BJ-FAO,perf_mgmt,2,也许")
    )
    result = materialize(raw_copy, tmp_path / "w.duckdb")
    assert result.success
    found = checks(result)
    assert found["extracts_usable"] == (False, dg.AssetCheckSeverity.WARN)
    [usable] = evaluations(result, "extracts_usable")
    assert usable.description == say("dagster.result.rows_refused")
    assert found["all_departments_scored"] == (False, dg.AssetCheckSeverity.WARN)
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        rejected = con.execute(
            'SELECT file, row_number, "column", value, reason FROM v_rejected_rows'
        ).fetchall()
        findings = con.execute("SELECT dept_code, severity, code FROM v_findings").fetchall()
    assert rejected == [
        ("2023/checklist.csv", 22, "passed", "也许", say("refusal.not_a_bool", lang="zh"))
    ]
    assert ("BJ-FAO", "error", "input_refused") in findings


def test_a_year_through_the_bulk_lane_scores_as_through_pandas(tmp_path, monkeypatch):
    """The staged rows of a bulk-lane file travel between assets as a staging file;
    the scores they give are the Python lane's, to the cent, line by line."""
    from pipelines import settings

    def lines(warehouse):
        with duckdb.connect(str(warehouse), read_only=True) as con:
            return con.execute(
                "SELECT dept_code, line_code, final_score, explanation FROM v_line_scores "
                "ORDER BY ALL"
            ).fetchall()

    assert materialize(RAW, tmp_path / "python.duckdb").success
    monkeypatch.setattr(settings, "BULK_BYTES", 0)
    monkeypatch.setattr(settings, "STAGING_DIR", tmp_path / "staging")
    bulk = materialize(RAW, tmp_path / "bulk.duckdb")

    assert bulk.success
    assert list((tmp_path / "staging").glob("2023-*.duckdb"))  # the bulk lane was taken
    assert lines(tmp_path / "bulk.duckdb") == lines(tmp_path / "python.duckdb")
    assert len(lines(tmp_path / "bulk.duckdb")) > 40 * 8
