"""`jixiao explain` gives the derivation a reviewer checks by hand."""

import subprocess
import sys

import pytest

from pipelines.annual import run_year
from tests.conftest import ROOT, RUBRICS, SEED_RAW
from tests.cli import jixiao


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    path = tmp_path_factory.mktemp("explain") / "w.duckdb"
    run_year(SEED_RAW, RUBRICS, path, 2023, run_id="run-1")
    return path


def explain(warehouse, *args):
    return jixiao("explain",
            "--year",
            "2023",
            "--warehouse",
            warehouse,
            *args)


def test_the_total_is_explained_as_its_sections_and_grade_band(warehouse):
    done = explain(warehouse, "--dept", "BJ-FAO")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith(
        "BJ-FAO 北京市人民政府外事办公室（市外办） — 2023, rubric beijing/2023"
    )
    assert lines[1] == (
        "total 94.83 = 18.83 (当年预算执行情况) + 56.00 (整体绩效目标实现情况) "
        "+ 20.00 (预算管理情况)"
    )
    assert lines[2].startswith("grade 优: 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差 ≥ 0")
    assert "18214.74 / 19347.12 = 94.15% × 20 = 18.83" in done.stdout
    assert "declared lines of kind graded are scored by:" in done.stdout


def test_one_line_with_its_parameters_and_reference(warehouse):
    done = explain(warehouse, "--dept", "BJ-FAO", "--line", "budget_final_diff")
    out = done.stdout.splitlines()
    assert out[2] == "部门预决算差异率 (budget_final_diff) — 4.00 of 4.00"
    assert out[3].startswith("  |18214.74 − 15355.12| / 15355.12 = 18.62%; 市级平均差异率 28.3%")
    assert "rule.baseline.value_pct = 28.3" in out[4] and "rule.step_pct = 10" in out[4]
    assert out[5].startswith("  reference: seed 评分表 部门预决算差异率（4）")


def test_an_unknown_department_says_so(warehouse):
    done = explain(warehouse, "--dept", "NOPE")
    assert done.returncode == 1
    assert done.stderr.strip() == "jixiao: NOPE has no scores for 2023"
