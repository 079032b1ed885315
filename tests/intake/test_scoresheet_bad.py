"""Sheets ``jixiao intake scoresheet`` refuses: each is named (with the cell at fault),
the exit status is 1, and no extract changes."""

import shutil
from pathlib import Path

import openpyxl
import pytest

from pipelines.annual import run_year
from pipelines.messages import use
from pipelines.reports import build_reports
from tests.cli import jixiao
from tests.conftest import RAW, RUBRICS
from tests.intake.conftest import rows

EXTRACTS = ("indicators", "checklist", "self_reported")


@pytest.fixture(scope="module")
def fao(tmp_path_factory) -> Path:
    """BJ-FAO's 2023 workbook."""
    folder = tmp_path_factory.mktemp("scoresheet")
    run_year(RAW, RUBRICS, folder / "w.duckdb", 2023)
    with use("zh"):
        build_reports(folder / "w.duckdb", 2023, folder / "out", formats=("xlsx",), workers=1)
    return folder / "out" / "2023" / "beijing" / "departments" / "BJ-FAO.xlsx"


def _edited(fao: Path, tmp_path: Path, cell: str, value) -> Path:
    wb = openpyxl.load_workbook(fao)
    wb["评分表"][cell] = value
    out = tmp_path / "edited.xlsx"
    wb.save(out)
    return out


def _refused(raw_dir: Path, file: Path, dept: str, *expected: str) -> None:
    before = {n: (raw_dir / "2023" / f"{n}.csv").read_bytes() for n in EXTRACTS}
    done = jixiao(
        "intake", "scoresheet", file, "--year", "2023", "--dept", dept, "--raw-dir", raw_dir
    )
    assert done.returncode == 1, done.stdout
    for text in (str(file), *expected):
        assert text in done.stderr, done.stderr
    assert {n: (raw_dir / "2023" / f"{n}.csv").read_bytes() for n in EXTRACTS} == before


def test_the_seed_sheet_is_read(fao, raw_dir):
    done = jixiao(
        "intake", "scoresheet", fao, "--year", "2023", "--dept", "BJ-FAO", "--raw-dir", raw_dir
    )
    assert done.returncode == 0, done.stderr
    claims = {
        r["line_code"]: r["reported_score"]
        for r in rows(raw_dir / "2023" / "self_reported.csv")
        if r["dept_code"] == "BJ-FAO"
    }
    # the seed's published table (raw/seed/2023/scoresheet.md): 18.83, 7.50, 8.00, 10.00, 94.83
    assert claims["TOTAL"] == "94.83" and claims["budget_execution"] == "18.83"
    assert [claims[c] for c in ("goal_01", "goal_02", "goal_07")] == ["7.50", "8.00", "10.00"]
    declared = [r for r in rows(raw_dir / "2023" / "indicators.csv") if r["dept_code"] == "BJ-FAO"]
    assert len(declared) == 7 and {r["target"] for r in declared} == {"优"}
    checks = [r for r in rows(raw_dir / "2023" / "checklist.csv") if r["dept_code"] == "BJ-FAO"]
    assert len(checks) == 3 + 7 + 3 + 6 + 2  # every criterion, none failed
    others = [r for r in rows(raw_dir / "2023" / "indicators.csv") if r["dept_code"] != "BJ-FAO"]
    assert others == [
        r for r in rows(RAW / "2023" / "indicators.csv") if r["dept_code"] != "BJ-FAO"
    ]


def test_not_an_xlsx(raw_dir, tmp_path):
    bogus = tmp_path / "sheet.xlsx"
    bogus.write_text("not a workbook", encoding="utf-8")
    _refused(raw_dir, bogus, "BJ-FAO", "xlsx")


def test_another_layout(raw_dir, tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["部门编码", "指标编码", "得分"])
    wb.save(tmp_path / "flat.xlsx")
    _refused(raw_dir, tmp_path / "flat.xlsx", "BJ-FAO", "一级指标")


def test_another_department(fao, raw_dir):
    _refused(raw_dir, fao, "SYN-001", "评分表!B18", "BJ-FAO")


def test_another_departments_name(fao, raw_dir, tmp_path):
    _refused(
        raw_dir, _edited(fao, tmp_path, "B19", "示例部门001（合成数据）"), "BJ-FAO", "评分表!B19"
    )


def test_wrong_year(fao, raw_dir):
    shutil.copytree(raw_dir / "2023", raw_dir / "2024")
    before = {n: (raw_dir / "2024" / f"{n}.csv").read_bytes() for n in EXTRACTS}
    done = jixiao(
        "intake", "scoresheet", fao, "--year", "2024", "--dept", "BJ-FAO", "--raw-dir", raw_dir
    )
    assert done.returncode == 1 and "评分表!B20" in done.stderr and "2024" in done.stderr
    assert {n: (raw_dir / "2024" / f"{n}.csv").read_bytes() for n in EXTRACTS} == before


def test_a_cell_that_is_not_a_number(fao, raw_dir, tmp_path):
    _refused(raw_dir, _edited(fao, tmp_path, "F3", "七点五"), "BJ-FAO", "评分表!F3", "七点五")
