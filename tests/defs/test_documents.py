"""Documents as assets: a year's self-evaluation reports are read into self_reported
before its extracts, and a check lists what could not be read."""

import csv
import shutil

import dagster as dg

from pipelines.defs import defs
from pipelines.defs.assets import raw_extracts
from pipelines.defs.documents import department_documents, documents_readable
from pipelines.defs.resources import resources
from pipelines.messages import say
from tests.conftest import RAW, RUBRICS
from tests.intake.conftest import seed_report

QUIET = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}


def test_the_year_s_documents_are_read_before_its_extracts(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(RAW / "2023", raw / "2023")
    documents = tmp_path / "documents" / "2023"
    documents.mkdir(parents=True)
    shutil.copy(seed_report("txt"), documents / "BJ-FAO.txt")
    (documents / "SYN-001.txt").write_text("会议纪要：本周工作安排。\n", "utf-8")

    result = dg.materialize(
        [department_documents, raw_extracts, documents_readable],
        partition_key="beijing|2023",
        resources=resources(raw, RUBRICS, tmp_path / "w.duckdb", documents_dir=documents.parent),
        run_config=QUIET,
        raise_on_error=False,
    )
    assert result.success
    # the seed's figures are BJ-FAO's self_reported rows when raw_extracts reads them
    with (raw / "2023" / "self_reported.csv").open(encoding="utf-8-sig", newline="") as f:
        bj = {r["line_code"]: r for r in csv.DictReader(f) if r["dept_code"] == "BJ-FAO"}
    assert bj["TOTAL"]["reported_score"] == "94.83"
    assert "BJ-FAO.txt" in bj["TOTAL"]["source"]
    read = result.output_for_node("raw_extracts")["beijing|2023"]
    assert read.files["self_reported"].sha256 is not None

    [check] = result.get_asset_check_evaluations()
    assert (check.check_name, check.passed) == ("documents_readable", False)
    assert check.severity == dg.AssetCheckSeverity.WARN
    problems = check.description.split(say("dagster.sep"))
    # the seed's garbled table cell, with its sentence; the meeting notes refused
    assert any("18.6213.01% %" in p and p.startswith("BJ-FAO.txt：") for p in problems)
    assert any(p.startswith("SYN-001.txt：未读入——") for p in problems)


def test_no_documents_folder_reads_nothing_and_passes(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(RAW / "2023", raw / "2023")
    before = (raw / "2023" / "self_reported.csv").read_bytes()
    result = dg.materialize(
        [department_documents, documents_readable],
        partition_key="beijing|2023",
        resources=resources(raw, RUBRICS, tmp_path / "w.duckdb", documents_dir=tmp_path / "none"),
        run_config=QUIET,
    )
    [check] = result.get_asset_check_evaluations()
    assert check.passed
    assert (raw / "2023" / "self_reported.csv").read_bytes() == before


def test_a_new_document_requests_its_year(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(RAW / "2023", raw / "2023")
    documents = tmp_path / "documents"
    sensor = defs.resolve_sensor_def("raw_extracts_sensor")

    def tick(cursor=None):
        context = dg.build_sensor_context(
            cursor=cursor,
            resources=resources(raw, RUBRICS, documents_dir=documents),
            repository_def=defs.get_repository_def(),
        )
        return sensor.evaluate_tick(context)

    first = tick()
    quiet = tick(first.cursor)
    assert quiet.skip_message == say("dagster.automation.no_change", folder=raw)
    (documents / "2023").mkdir(parents=True)
    shutil.copy(seed_report("txt"), documents / "2023" / "BJ-FAO.txt")
    [request] = tick(first.cursor).run_requests
    assert request.partition_key == "beijing|2023"
