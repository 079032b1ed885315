"""More of the bad-input corpus: merged title rows, total rows, another year's rows,
unit slips, and the refusal policy that stops a year."""

from openpyxl import Workbook

from pipelines.ingest.stage import stage_year
from tests.ingest.support import (
    SEED,
    assert_reads_in_chinese,
    blocking,
    findings,
    reason_codes,
    rejected,
    rubric_for,
)


def test_xlsx_with_a_merged_title_row_above_the_header_is_read(extracts, seed):
    rows = extracts.rows("budget.csv")
    extracts.path("budget.csv").unlink()
    wb = Workbook()
    ws = wb.active
    ws.append(["2023年部门预算执行情况表（单位：万元）"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(rows[0]))
    for row in rows:
        ws.append(row)
    wb.save(extracts.path("budget.xlsx"))

    staged = extracts.stage()

    assert rejected(staged) == []
    assert staged.tables["budget"].index.tolist() == [3]  # the data row is spreadsheet row 3
    assert staged.tables["budget"].iloc[0]["full_year_budget"] == "19347.12"
    [note] = findings(staged, "row_above_header")
    assert note["message"] == (
        "2023/budget.xlsx: row 1 above the header was not read as data: "
        "'2023年部门预算执行情况表（单位：万元）'"
    )


def test_a_total_row_is_refused_not_summed(extracts):
    extracts.append_line("budget.csv", '合计,"19,347.12",1,1,1,1,1,1,1,1,,,,,,')

    staged = extracts.stage()

    assert [(r["row_number"], r["column"], r["value"], r["reason"]) for r in rejected(staged)] == [
        (
            3,
            "dept_code",
            "合计",
            "a total row (合计/总计/小计), not a department: totals are "
            "derived from the departments' rows, never read",
        ),
    ]
    assert reason_codes(staged) == ["total_row"]
    assert SEED not in staged.unscorable


def test_a_row_of_another_fiscal_year_is_refused(extracts):
    rows = extracts.rows("departments.csv")
    extracts.write_rows("departments.csv", [[*rows[0], "年度"], [*rows[1], "2022"]])

    staged = extracts.stage()

    assert [
        (r["file"], r["row_number"], r["column"], r["value"], r["reason"]) for r in rejected(staged)
    ] == [
        (
            "2023/departments.csv",
            2,
            "fiscal_year",
            "2022",
            "a row of another fiscal year: this folder holds 2023",
        ),
    ]
    assert reason_codes(staged) == ["other_fiscal_year"]
    assert [f["code"] for f in findings(staged) if f["severity"] == "error"] == ["input_refused"]
    assert SEED in staged.unscorable


def test_the_right_fiscal_year_column_is_accepted(extracts):
    rows = extracts.rows("departments.csv")
    extracts.write_rows("departments.csv", [[*rows[0], "year"], [*rows[1], "2023"]])
    assert rejected(extracts.stage()) == []


def test_executed_over_ten_times_the_budget_is_refused_as_a_unit_slip(extracts):
    extracts.set_cell("budget.csv", 2, "执行数", "182,147,400.00")

    staged = extracts.stage()

    assert [(r["column"], r["reason"]) for r in rejected(staged)] == [
        (
            "executed",
            "executed is more than 10 times the full-year budget: "
            "a unit slip? (amounts are in 万元)",
        ),
    ]
    assert SEED in staged.unscorable


def test_quarantine_lets_the_year_go_on_and_fail_year_stops_it(extracts):
    extracts.set_cell("checklist.csv", 2, "passed", "也许")
    raw = extracts.read()

    quarantined = stage_year(raw, rubric_for)
    stopped = stage_year(raw, rubric_for, {"checklist": "fail_year"})

    assert quarantined.blocking == []
    assert blocking(stopped) == ["2023/checklist.csv: 1 row(s) refused and its policy is fail_year"]
    assert_reads_in_chinese(blocking(stopped, "zh")[0])
    assert rejected(stopped) == rejected(quarantined)  # the same refusal, kept either way


def test_a_file_refused_whole_blocks_the_year(extracts):
    extracts.drop_column("budget.csv", "执行数")

    staged = extracts.stage()

    assert len(staged.blocking) == 1
    assert blocking(staged)[0].startswith("2023/budget.csv: required column is missing")
    [why] = blocking(staged, "zh")
    assert why.startswith("2023/budget.csv：缺少必填列")
    assert_reads_in_chinese(why)
    assert "; ".join(map(str, staged.blocking))  # how callers join them
