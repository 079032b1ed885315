"""The department workbook's 评分表, read back by ``jixiao intake scoresheet``, gives the
same indicators and the same scores: for every bundled department of 2022–2024, the
workbook is read into a copy of the raw folder from which the department's rows were
removed, the year is scored again, and its line scores are those of the first run."""

import csv
import shutil
from pathlib import Path

import duckdb
import pytest

from pipelines.annual import run_year
from pipelines.intake.scoresheet import intake_scoresheet
from pipelines.messages import use
from pipelines.reports import build_reports
from tests.conftest import RAW, RUBRICS

EXTRACTS = ("indicators", "checklist", "self_reported")
# line_scores without run_id, and a line's place among its department's lines rather
# than its row of the extract file (line_order): the rows come back at the end of the
# file, in the order of the workbooks
LINE_COLUMNS = """* EXCLUDE (run_id, line_order),
    rank() OVER (PARTITION BY dept_code, section, "group" ORDER BY line_order) AS place"""
INDICATOR_COLUMNS = """dept_code, line_code, "group", name, kind, target, actual, weight,
    direction, unit, assessed_score, subgroup"""


def _remove_rows(year_dir: Path) -> None:
    """Every department's rows of the three extracts removed (the header kept): each
    department's come back from its own workbook."""
    for name in EXTRACTS:
        path = year_dir / f"{name}.csv"
        with path.open(encoding="utf-8-sig", newline="") as f:
            header = next(csv.reader(f))
        with path.open("w", encoding="utf-8", newline="") as f:
            csv.writer(f, lineterminator="\n").writerow(header)


def _diff(before: Path, after: Path, sql: str, year: int) -> list:
    with duckdb.connect() as con:
        con.execute(f"ATTACH '{before}' AS a (READ_ONLY); ATTACH '{after}' AS b (READ_ONLY)")
        left, right = (sql.format(db=db) for db in ("a", "b"))
        return con.execute(
            f"({left} EXCEPT ALL {right}) UNION ALL ({right} EXCEPT ALL {left})", [year] * 4
        ).fetchall()


@pytest.mark.parametrize("year", [2022, 2023, 2024])
def test_every_department_round_trips(tmp_path, year):
    before, after = tmp_path / "before.duckdb", tmp_path / "after.duckdb"
    run_year(RAW, RUBRICS, before, year)
    with use("zh"):
        built = build_reports(before, year, tmp_path / "out", formats=("xlsx",), workers=1)
    raw = tmp_path / "raw"
    shutil.copytree(RAW / str(year), raw / str(year))
    if (RAW / str(year - 1)).is_dir():  # last year's carryover rate
        shutil.copytree(RAW / str(year - 1), raw / str(year - 1))
    _remove_rows(raw / str(year))
    workbooks = [p for p in built if p.suffix == ".xlsx" and p.parent.name == "departments"]
    assert len(workbooks) == 40
    for book in workbooks:
        intake_scoresheet(book, year, book.stem, raw, RUBRICS)
    run_year(raw, RUBRICS, after, year)
    lines = f"SELECT {LINE_COLUMNS} FROM {{db}}.line_scores WHERE year = ?"
    assert _diff(before, after, lines, year) == []
    declared = f"SELECT {INDICATOR_COLUMNS} FROM {{db}}.staged_indicators WHERE year = ?"
    assert _diff(before, after, declared, year) == []
    totals = "SELECT dept_code, total_score, grade FROM {db}.v_department_scores WHERE year = ?"
    assert _diff(before, after, totals, year) == []
