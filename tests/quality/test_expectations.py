"""Great Expectations suites on a warehouse built by the real pipeline from raw/, then
corrupted with UPDATEs. Everything is written under tmp_path."""

import os
import shutil
import subprocess
import sys

import duckdb
import pytest

from pipelines.quality.expectations import SuiteResult, validate_with_docs, validate_year
from tests.conftest import ROOT

SUITES = ["line_scores", "department_scores", "section_scores", "findings"]


@pytest.fixture(scope="module")
def warehouse(bundled_2023):
    """raw/2023 scored (shared: the corrupted ones are copies)."""
    return bundled_2023


def corrupted(warehouse, tmp_path, *updates: str):
    path = tmp_path / "corrupt.duckdb"
    shutil.copy(warehouse, path)
    with duckdb.connect(str(path)) as con:
        for sql in updates:
            con.execute(sql)
    return path


def by_name(results: list[SuiteResult]) -> dict[str, SuiteResult]:
    assert [r.name for r in results] == SUITES
    return {r.name: r for r in results}


def test_great_expectations_stays_out_of_the_import_path():
    code = "import sys, pipelines.quality.expectations; print('great_expectations' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.stdout.strip() == "False", out.stderr


def test_a_year_scored_by_the_pipeline_meets_every_suite(warehouse):
    results = validate_year(warehouse, 2023)
    assert [(r.name, r.success, r.failed) for r in results] == [(s, True, []) for s in SUITES]


def test_a_score_above_its_weight_and_an_unknown_grade_are_reported(warehouse, tmp_path):
    path = corrupted(
        warehouse,
        tmp_path,
        "UPDATE line_scores SET final_score = 21 "
        "WHERE dept_code = 'SYN-005' AND line_code = 'budget_execution'",
        "UPDATE department_scores SET grade = '甲' WHERE dept_code = 'SYN-007'",
    )
    results = by_name(validate_year(path, 2023))
    assert not results["line_scores"].success and not results["department_scores"].success
    assert results["section_scores"].success and results["findings"].success
    assert results["line_scores"].failed == [
        {
            "expectation": "expect_column_values_to_be_in_set",
            "column": "line_score_in_range",  # the rule of pipelines/quality/checks.py
            "kwargs": {"column": "line_score_in_range", "value_set": [True]},
            "unexpected_count": 1,
            "unexpected_values": [False],
            "unexpected_rows": [
                {
                    "dept_code": "SYN-005",
                    "line_code": "budget_execution",
                    "line_score_in_range": False,
                }
            ],
        }
    ]
    [grade] = results["department_scores"].failed
    assert grade["expectation"] == "expect_column_values_to_be_in_set"
    assert grade["column"] == "grade"
    assert grade["kwargs"]["value_set"] == ["优", "良", "中", "差"]
    assert grade["unexpected_count"] == 1
    assert grade["unexpected_values"] == ["甲"]
    assert grade["unexpected_rows"] == [{"dept_code": "SYN-007", "grade": "甲"}]


def test_referential_integrity_section_weights_and_severities(warehouse, tmp_path):
    path = corrupted(
        warehouse,
        tmp_path,
        "INSERT INTO department_scores (year, dept_code, total_score, grade, rubric_id, "
        "rubric_hash) SELECT year, 'SYN-999', total_score, grade, rubric_id, rubric_hash "
        "FROM department_scores WHERE dept_code = 'SYN-008'",
        "UPDATE section_scores SET weight = 25 "
        "WHERE dept_code = 'SYN-009' AND section = 'budget_execution'",
        "INSERT INTO findings (year, dept_code, line_code, severity, code, params, run_id) "
        "VALUES (2023, 'SYN-001', NULL, 'fatal', 'test', MAP {}, 'gx')",
    )
    results = by_name(validate_year(path, 2023))
    assert results["line_scores"].success
    failed = {
        name: [(f["expectation"], f["column"], f["unexpected_rows"]) for f in r.failed]
        for name, r in results.items()
    }
    assert failed["department_scores"] == [
        ("expect_column_values_to_be_in_set", "known", [{"dept_code": "SYN-999", "known": False}])
    ]
    assert failed["section_scores"] == [
        (
            "expect_column_pair_values_to_be_equal",
            ["department_weight", "total_weight"],
            [
                {
                    "dept_code": "SYN-009",
                    "section": s,
                    "department_weight": 105.0,
                    "total_weight": 100.0,
                }
                for s in ("budget_execution", "goal_achievement", "budget_management")
            ],
        )
    ]
    assert failed["findings"] == [
        (
            "expect_column_values_to_be_in_set",
            "severity",
            [{"dept_code": "SYN-001", "line_code": None, "code": "test", "severity": "fatal"}],
        )
    ]


def test_data_docs_are_built_in_the_given_folder_only(warehouse, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # anything GX wrote relative to the working folder shows here
    results, index = validate_with_docs(warehouse, 2023, tmp_path / "docs")
    assert index == tmp_path / "docs" / "index.html"
    assert results == validate_year(warehouse, 2023)  # the same validation, run once
    html = index.read_text("utf-8")
    for suite in SUITES:
        assert suite in html
        assert (tmp_path / "docs" / "expectations" / f"{suite}.html").is_file()
    assert os.listdir(tmp_path) == ["docs"]
    assert not (ROOT / "gx").exists()


def test_batches_of_departments_give_the_result_of_one_batch(warehouse, tmp_path, monkeypatch):
    from pipelines.quality import expectations

    path = corrupted(
        warehouse,
        tmp_path,
        "UPDATE line_scores SET final_score = 21 WHERE line_code = 'budget_execution' "
        "AND dept_code IN ('SYN-005', 'SYN-006', 'SYN-011', 'SYN-020', 'SYN-031', 'SYN-033')",
    )
    whole = validate_year(path, 2023)
    monkeypatch.setattr(expectations, "BATCH_ROWS", 200)  # the year's 640 lines: 4 batches
    batched = validate_year(path, 2023)
    [failure] = by_name(batched)["line_scores"].failed
    assert failure["unexpected_count"] == 6  # summed over the batches
    assert len(failure["unexpected_rows"]) == expectations.SHOWN

    def strip(r):
        return (r.name, r.success, [(f["expectation"], f["unexpected_count"]) for f in r.failed])

    assert [strip(r) for r in batched] == [strip(r) for r in whole]


def test_validated_in_the_worker_jixiao_run_starts_the_results_are_the_same(warehouse, tmp_path):
    """The worker (pipelines.quality.gx_worker) imports Great Expectations in a process
    of its own; what it validates is what validating here gives, failures included."""
    from pipelines.quality import gx_worker

    path = corrupted(
        warehouse,
        tmp_path,
        "UPDATE department_scores SET grade = '甲' WHERE dept_code = 'SYN-007'",
    )
    here, _ = validate_with_docs(path, 2023, tmp_path / "docs-here")
    gx_worker.start()
    try:
        worker = gx_worker._pool
        there, index = gx_worker.validate_with_docs(path, 2023, tmp_path / "docs-worker")
        [pid] = worker._processes  # one process, not this one
    finally:
        gx_worker.stop()
    assert pid != os.getpid()
    assert there == here
    assert not by_name(there)["department_scores"].success
    assert index == tmp_path / "docs-worker" / "index.html" and index.is_file()
