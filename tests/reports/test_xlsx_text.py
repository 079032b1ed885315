"""Text from the data stays text in every workbook: departments whose names read like
formulas (``=…``, ``@…``, ``+…``) are named as written in their own workbooks and in the
year's summary, never as a live formula; numbers stay numbers, to the cent."""

import csv
import shutil
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from pipelines.annual import run_year
from pipelines.reports import build_reports, xlsx
from tests.conftest import RAW, RUBRICS

HOSTILE = {
    "SYN-001": '=HYPERLINK("http://example.invalid/x","点此查看")',
    "SYN-002": "@SUM(1,2)",
    "SYN-003": "+1+1",
}
# where a department's name is: its workbook's 概况 and 评分表, the summary's ranking and
# section shares
DEPARTMENT_SHEETS = {"概况", "评分表"}
SUMMARY_SHEETS = {"排名", "分项得分率"}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    """raw/2023 with three departments renamed as above, scored, and its workbooks built:
    the folder of the year's beijing reports."""
    folder = tmp_path_factory.mktemp("hostile")
    year_dir = folder / "raw" / "2023"
    shutil.copytree(RAW / "2023", year_dir)
    path = year_dir / "departments.csv"
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        row["dept_name"] = HOSTILE.get(row["dept_code"], row["dept_name"])
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        out.writeheader()
        out.writerows(rows)
    run_year(folder / "raw", RUBRICS, folder / "w.duckdb", 2023)
    build_reports(folder / "w.duckdb", 2023, folder / "out", formats=("xlsx",), workers=1)
    return folder / "out" / "2023" / "beijing"


def names_in(book: Path) -> list[tuple[str, str, object, str]]:
    """(sheet, cell, value, data type) of every cell that holds one of the names, or a
    formula."""
    wb = openpyxl.load_workbook(book)
    return [
        (ws.title, c.coordinate, c.value, c.data_type)
        for ws in wb
        for row in ws.iter_rows()
        for c in row
        if c.value in HOSTILE.values() or c.data_type == "f"
    ]


@pytest.mark.parametrize("code", list(HOSTILE))
def test_a_name_is_text_in_its_workbook(hostile, code):
    found = names_in(hostile / "departments" / f"{code}.xlsx")
    assert found and all(kind == "s" for _, _, _, kind in found), found
    assert {value for _, _, value, _ in found} == {HOSTILE[code]}
    assert {sheet for sheet, *_ in found} >= DEPARTMENT_SHEETS
    overview = openpyxl.load_workbook(hostile / "departments" / f"{code}.xlsx")["概况"]
    assert (overview["A3"].value, overview["B3"].value) == ("部门名称", HOSTILE[code])


def test_the_names_are_text_in_the_summary(hostile):
    found = names_in(hostile / "summary.xlsx")
    assert found and all(kind == "s" for _, _, _, kind in found), found
    for sheet in SUMMARY_SHEETS:
        assert {value for where, _, value, _ in found if where == sheet} == set(HOSTILE.values())


def test_every_workbook_of_the_year_has_no_formula(hostile):
    books = sorted(hostile.rglob("*.xlsx"))
    assert len(books) == 1 + 40
    assert not [(book.name, *cell) for book in books for cell in names_in(book) if cell[3] != "s"]


# Values a writer could turn into something else: formulas, error codes, numbers written
# as text, text with spaces at either end, markup, an address, and numbers that
# must come back to the cent.
ODD_TEXT = [
    "=SUM(A1)", "#N/A", "@x", "+1", "-1-1", "001", "1e3", "  both ends  ", "<b>&amp;</b> > <",
    "http://example.invalid/", "长" * 31, "",
]  # fmt: skip


def test_odd_values_read_back_as_written(tmp_path):
    sheets = [
        xlsx.Sheet(
            "概况",
            {"项目": None, "内容": None, "说明": None},
            [["a", 1.5, None], ["b", "长" * 40, "c"], ["c", 7, None]],
            [xlsx.AMOUNT, None, "0.0"],
        ),
        xlsx.Sheet("文本", {"文本": None}, [[text] for text in ODD_TEXT]),
        xlsx.Sheet(
            "数",
            {"分": xlsx.SCORE, "万元": xlsx.AMOUNT, "整数": "0", "文本列": None},
            [
                [Decimal("18.83"), Decimal("19347.12"), 10**15, Decimal("94.83")],
                [18.825, 0.1 + 0.2, -3, 2023],
                [None, None, None, None],
            ],
        ),
        xlsx.Sheet("空", {"无": "0.0"}, []),
    ]
    xlsx.write(sheets, tmp_path / "odd.xlsx", datetime(2024, 3, 1, 12, 30))
    wb = openpyxl.load_workbook(tmp_path / "odd.xlsx")
    assert wb.sheetnames == ["概况", "文本", "数", "空"]
    cells = [wb["文本"].cell(row=i, column=1) for i in range(2, len(ODD_TEXT) + 2)]
    assert [(c.value, c.data_type) for c in cells] == [
        (text, "s") if text else (None, "n") for text in ODD_TEXT
    ]
    numbers = wb["数"]
    assert [c.value for c in numbers[2]] == [18.83, 19347.12, 10**15, 94.83]
    assert [c.value for c in numbers[3]] == [18.83, 0.3, -3, 2023]  # half up, to the cent
    assert all(c.data_type == "n" for row in ("2", "3") for c in numbers[row])
    assert [c.number_format for c in numbers[2]] == ["0.00", "#,##0.00", "0", "General"]
    overview = wb["概况"]
    assert overview["B2"].value == 1.5 and overview["B2"].number_format == "#,##0.00"
    assert overview["B3"].alignment.wrap_text and overview["B4"].value == 7
    assert overview.column_dimensions["B"].width >= xlsx.MAX_WIDTH
    assert [c.value for c in wb["空"][1]] == ["无"] and wb["空"].freeze_panes == "A2"
