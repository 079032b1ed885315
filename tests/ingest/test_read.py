"""Reading: encodings, xlsx, header labels, value spellings, row numbers, unreadable files.

Every test writes real files into a copy of raw/2023 and stages them with the real
``read_year`` / ``stage_year``; the untouched bundled year (``seed``) is the reference.
"""

from __future__ import annotations

import os
from decimal import Decimal

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook

from pipelines.ingest.spec import extract_specs, header_key
from tests.ingest.support import SEED, as_cell, findings, rejected

BUDGET_FILE = "2023/budget.csv"
# Figures of the published source that the bundled budget.csv carries (see raw/2023/README.md).
SEED_FIGURES = {
    "dept_code": "BJ-FAO",
    "full_year_budget": "19347.12",
    "basic_budget": "9936.26",
    "project_budget": "9410.86",
    "executed": "18214.74",
    "basic_executed": "9432.24",
    "project_executed": "8782.50",
    "initial_budget": "15355.12",
    "final_accounts": "18214.74",
    "carryover_total": "1132.39",
    "carryover_fiscal": "785.89",
    "carryover_nonfiscal": "346.50",
    "prior_carryover_rate": "6.81",
    "prior_diff_rate": "13.01",
}


def identifier_of(extract: str, header: str) -> str:
    """The contract identifier that a bundled Chinese header stands for (extracts.yaml)."""
    return extract_specs()[extract].header_map()[header_key(header)]


def budget_row(staged) -> dict:
    frame = staged.tables["budget"]
    assert list(frame.index) == [2]
    return {k: (None if v is None or pd.isna(v) else v) for k, v in frame.loc[2].items()}


def as_numbers(row: dict) -> dict:
    return {k: (v if v is None or k == "dept_code" else Decimal(v)) for k, v in row.items()}


def assert_clean(staged) -> None:
    assert rejected(staged) == []
    assert findings(staged) == []
    assert staged.unscorable == set()


# -- 1. encodings and xlsx ----------------------------------------------------------------


def test_bundled_budget_stages_to_the_published_figures(seed):
    row = budget_row(seed)
    assert {k: row[k] for k in SEED_FIGURES} == SEED_FIGURES
    assert seed.sources["budget"] == "2023/budget.csv (utf-8)"


@pytest.mark.parametrize(
    ("encoding", "shown"),
    [("gbk", "gbk"), ("utf-8-sig", "utf-8 with BOM")],
    ids=["gbk", "utf8-bom"],
)
def test_gbk_and_bom_budget_with_chinese_headers_is_read_like_utf8(extracts, seed, encoding, shown):
    extracts.write_text("budget.csv", extracts.text("budget.csv"), encoding)
    raw = extracts.path("budget.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig")

    staged = extracts.stage()

    assert_clean(staged)
    assert staged.sources["budget"] == f"2023/budget.csv ({shown})"
    assert budget_row(staged) == budget_row(seed)
    pd.testing.assert_frame_equal(staged.tables["budget"], seed.tables["budget"])


def test_gbk_department_name_keeps_its_full_width_punctuation(extracts, seed):
    extracts.write_text("departments.csv", extracts.text("departments.csv"), "gbk")

    staged = extracts.stage()

    assert_clean(staged)
    assert staged.tables["departments"].loc[2, "dept_name"] == "北京市人民政府外事办公室（市外办）"
    pd.testing.assert_frame_equal(staged.tables["departments"], seed.tables["departments"])


def test_xlsx_budget_with_numeric_cells_stages_to_the_same_values(extracts, seed):
    extracts.csv_to_xlsx("budget")  # also adds a second sheet that must be ignored

    staged = extracts.stage()

    assert_clean(staged)
    assert staged.sources["budget"] == "2023/budget.xlsx (xlsx (first sheet))"
    row = budget_row(staged)
    assert row["full_year_budget"] == "19347.12"
    assert row["prior_carryover_rate"] == "6.81"
    # A numeric cell has no trailing zeros (8782.5, not 8782.50): the same number.
    assert as_numbers(row) == as_numbers(budget_row(seed))
    assert row["carryover_nonfiscal"] == "346.5"


def test_xlsx_checklist_with_integer_and_boolean_cells_is_read_like_csv(extracts, seed):
    rows = extracts.rows("checklist.csv")
    cells = [rows[0], *[[d, line, int(n), passed == "是"] for d, line, n, passed in rows[1:]]]
    extracts.path("checklist.csv").unlink()
    extracts.write_xlsx("checklist.xlsx", cells)

    staged = extracts.stage()

    assert_clean(staged)
    pd.testing.assert_frame_equal(staged.tables["checklist"], seed.tables["checklist"])


def test_xlsx_percent_formatted_rate_cell_is_read_as_the_rate_it_shows(extracts):
    extracts.csv_to_xlsx("budget")
    path = extracts.path("budget.xlsx")
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    headers = [c.value for c in ws[1]]
    for label, shown in (("上年结转结余率", 0.0681), ("上年预决算差异率", 0.1301)):
        cell = ws.cell(row=2, column=headers.index(label) + 1)
        cell.value = shown  # what Excel stores for a cell typed as "6.81%"
        cell.number_format = "0.00%"
    wb.save(path)

    staged = extracts.stage()

    assert rejected(staged) == []
    assert Decimal(budget_row(staged)["prior_carryover_rate"]) == Decimal("6.81")
    assert Decimal(budget_row(staged)["prior_diff_rate"]) == Decimal("13.01")


def test_xlsx_amount_computed_as_float_sum_is_read_as_the_displayed_amount(extracts):
    rows = extracts.rows("budget.csv")
    head = rows[0] + ["其他支出预算数"]
    computed = 2639.94 + 5304.78  # what a formula (or a script) stores for 2,639.94 + 5,304.78
    assert repr(computed) == "7944.719999999999"
    values = [as_cell(c) for c in rows[1]] + [computed]
    extracts.path("budget.csv").unlink()
    extracts.write_xlsx("budget.xlsx", [head, values])

    staged = extracts.stage()

    assert rejected(staged) == []
    assert budget_row(staged)["other_budget"] == "7944.72"


# -- 2. identifiers, Chinese labels, unit suffixes --------------------------------------


def test_budget_with_english_identifiers_stages_like_chinese_labels(extracts, seed):
    rows = extracts.rows("budget.csv")
    assert rows[0][:2] == ["部门编码", "全年预算数"]  # the bundled file uses labels
    identifiers = [identifier_of("budget", h) for h in rows[0]]
    assert "full_year_budget" in identifiers and "部门编码" not in identifiers
    extracts.write_rows("budget.csv", [identifiers, *rows[1:]])

    staged = extracts.stage()

    assert_clean(staged)
    pd.testing.assert_frame_equal(staged.tables["budget"], seed.tables["budget"])


def test_indicators_with_chinese_labels_and_kind_aliases_stage_like_identifiers(extracts, seed):
    rows = extracts.rows("indicators.csv")
    assert rows[0][0] == "dept_code"  # the bundled file uses identifiers
    labels = ["部门编码", "指标编码", "一级指标类别", "二级指标分类", "指标名称", "指标性质"]
    labels += ["指标值", "完成值", "分值", "得分", "备注"]
    body = [[("定性" if c == "qualitative" else c) for c in r] for r in rows[1:]]
    extracts.write_rows("indicators.csv", [labels, *body])

    staged = extracts.stage()

    assert_clean(staged)
    pd.testing.assert_frame_equal(staged.tables["indicators"], seed.tables["indicators"])


@pytest.mark.parametrize(
    ("label", "header"),
    [
        ("全年预算数", "全年预算数（万元）"),  # label + unit, full-width parens (a listed label)
        ("基本支出预算数", "基本支出预算数（万元）"),  # unit suffix on a label not listed so
        ("执行数", "执行数 (万元)"),  # ASCII parens with a space
        ("项目支出预算数", " 项目支出预算数 "),  # padding
    ],
)
def test_header_with_unit_suffix_or_padding_is_accepted(extracts, seed, label, header):
    rows = extracts.rows("budget.csv")
    rows[0][rows[0].index(label)] = header
    extracts.write_rows("budget.csv", rows)

    staged = extracts.stage()

    assert_clean(staged)
    pd.testing.assert_frame_equal(staged.tables["budget"], seed.tables["budget"])


@pytest.mark.parametrize("header", ["DEPT_CODE", "ｄｅｐｔ＿ｃｏｄｅ"], ids=["upper", "full-width"])
def test_identifier_header_in_upper_case_or_full_width_is_accepted(extracts, seed, header):
    rows = extracts.rows("checklist.csv")
    rows[0][0] = header
    extracts.write_rows("checklist.csv", rows)

    staged = extracts.stage()

    assert_clean(staged)
    pd.testing.assert_frame_equal(staged.tables["checklist"], seed.tables["checklist"])


# -- 3. value spellings --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "written", "column", "staged_as"),
    [
        ("全年预算数", "19,347.12", "full_year_budget", "19347.12"),
        ("全年预算数", "19347.12", "full_year_budget", "19347.12"),
        ("全年预算数", "１９３４７.１２", "full_year_budget", "19347.12"),
        ("全年预算数", "１９，３４７．１２", "full_year_budget", "19347.12"),
        ("全年预算数", " 19,347.12 ", "full_year_budget", "19347.12"),
        ("结转结余总额", "1,132.39", "carryover_total", "1132.39"),
        ("上年结转结余率", "6.81%", "prior_carryover_rate", "6.81"),
        ("上年结转结余率", "6.81", "prior_carryover_rate", "6.81"),
        ("上年结转结余率", "６.８１％", "prior_carryover_rate", "6.81"),
        ("上年结转结余率", "6.81 %", "prior_carryover_rate", "6.81"),
    ],
)
def test_amount_and_rate_spellings_normalise_to_one_canonical_text(
    extracts, header, written, column, staged_as
):
    extracts.set_cell("budget.csv", 2, header, written)

    staged = extracts.stage()

    assert_clean(staged)
    assert budget_row(staged)[column] == staged_as


@pytest.mark.parametrize("written", ["是", "true", "TRUE", "1", "Y", "合格", "√"])
def test_checklist_passed_spellings_normalise_to_true(extracts, written):
    extracts.set_cell("checklist.csv", 2, "passed", written)

    staged = extracts.stage()

    assert_clean(staged)
    assert staged.tables["checklist"].loc[2, "passed"] == "true"


def test_zero_padded_criterion_number_is_the_same_criterion(extracts):
    extracts.set_cell("checklist.csv", 2, "criterion_no", "01")

    staged = extracts.stage()

    assert findings(staged, "missing_checklist_rows") == []
    assert staged.tables["checklist"].loc[2, "criterion_no"] == "1"


def test_criterion_given_as_1_and_01_is_refused_as_duplicate(extracts):
    extracts.append_line("checklist.csv", "BJ-FAO,fin_system,01,否")

    staged = extracts.stage()

    assert {(r["row_number"], r["reason"]) for r in rejected(staged)} == {
        (2, "duplicate row: another row has the same dept_code + line_code + criterion_no"),
        (23, "duplicate row: another row has the same dept_code + line_code + criterion_no"),
    }


# -- 10. row numbers -------------------------------------------------------------------------


@pytest.mark.parametrize("blank", ["", ",,,", "   "], ids=["empty", "commas", "spaces"])
def test_blank_line_in_csv_does_not_shift_later_row_numbers(extracts, blank):
    lines = extracts.text("checklist.csv").splitlines()
    assert lines[5] == "BJ-FAO,fund_compliance,2,是"  # file line 6
    lines.insert(4, blank)  # file line 5 is blank; "fund_compliance,2" moves to line 7
    lines[6] = "BJ-FAO,fund_compliance,2,maybe"
    extracts.write_text("checklist.csv", "\n".join(lines) + "\n")

    staged = extracts.stage()

    assert rejected(staged) == [
        {
            "file": "2023/checklist.csv",
            "row_number": 7,
            "column": "passed",
            "value": "maybe",
            "reason": "expected true/false, 是/否 or 1/0",
            "dept_code": SEED,
        }
    ]
    index = list(staged.tables["checklist"].index)
    assert index[:4] == [2, 3, 4, 6]  # line 5 is the blank one, line 7 was refused
    assert index[4:6] == [8, 9]
    assert index[-1] == 23  # the last data row is file line 23 (22 data rows + header + blank)


def test_blank_row_in_xlsx_does_not_shift_later_row_numbers(extracts):
    rows = extracts.rows("checklist.csv")
    cells = [rows[0], *[[d, line, int(n), p] for d, line, n, p in rows[1:]]]
    cells.insert(4, [])  # sheet row 5 is empty
    cells[6][3] = "maybe"  # sheet row 7: fund_compliance criterion 2
    extracts.path("checklist.csv").unlink()
    extracts.write_xlsx("checklist.xlsx", cells)

    staged = extracts.stage()

    assert [(r["file"], r["row_number"], r["column"], r["value"]) for r in rejected(staged)] == [
        ("2023/checklist.xlsx", 7, "passed", "maybe")
    ]
    assert list(staged.tables["checklist"].index)[:5] == [2, 3, 4, 6, 8]


# -- 7. files that cannot be read ------------------------------------------------------------


def only_file_refusal(staged) -> dict:
    rows = rejected(staged)
    assert len(rows) == 1, rows
    row = rows[0]
    assert row["row_number"] is None and row["column"] is None and row["value"] is None
    assert row["dept_code"] is None
    return row


def test_missing_required_checklist_file_is_refused_and_every_line_reported(extracts):
    extracts.path("checklist.csv").unlink()

    staged = extracts.stage()

    row = only_file_refusal(staged)
    assert (row["file"], row["reason"]) == ("2023/checklist", "required file is missing")
    missing = {
        "accounting_info": "1, 2, 3",
        "asset_mgmt": "1, 2, 3, 4, 5, 6",
        "fin_system": "1, 2, 3",
        "fund_compliance": "1, 2, 3, 4, 5, 6, 7",
        "perf_mgmt": "1, 2",
    }
    assert [(f["dept_code"], f["line_code"], f["message"]) for f in findings(staged)] == [
        (SEED, line, f"checklist {line}: no row for criteria {numbers}; not scored")
        for line, numbers in missing.items()
    ]
    assert {f["code"] for f in findings(staged)} == {"missing_checklist_rows"}
    assert staged.unscorable == {SEED}
    assert staged.tables["checklist"].empty
    assert len(staged.tables["indicators"]) == 7  # the other files go on


def test_missing_optional_overrides_file_is_not_a_refusal(extracts, seed):
    assert not list(extracts.dir.glob("overrides.*"))

    staged = extracts.stage()

    assert_clean(staged)
    assert staged.tables["overrides"].empty
    assert list(staged.tables["overrides"].columns) == list(seed.tables["overrides"].columns)


def test_empty_budget_file_is_refused_as_empty(extracts):
    extracts.path("budget.csv").write_bytes(b"")

    staged = extracts.stage()

    row = only_file_refusal(staged)
    assert (row["file"], row["reason"]) == (BUDGET_FILE, "the file is empty: no header row")
    assert [(f["dept_code"], f["code"]) for f in findings(staged)] == [(SEED, "missing_budget")]
    assert staged.unscorable == {SEED}
    assert staged.tables["budget"].empty


def test_budget_file_with_only_a_header_leaves_the_department_without_budget(extracts):
    extracts.write_text("budget.csv", extracts.text("budget.csv").splitlines()[0] + "\n")

    staged = extracts.stage()

    assert rejected(staged) == []
    assert [(f["dept_code"], f["severity"], f["code"], f["message"]) for f in findings(staged)] == [
        (SEED, "error", "missing_budget", "no accepted budget row; not scored")
    ]


@pytest.mark.parametrize(
    "content",
    [os.urandom(2048), b"PK\x03\x04" + os.urandom(2048)],
    ids=["random-bytes", "zip-magic-then-garbage"],
)
def test_corrupt_xlsx_budget_is_refused_without_raising(extracts, content):
    extracts.path("budget.csv").unlink()
    extracts.path("budget.xlsx").write_bytes(content)

    staged = extracts.stage()

    row = only_file_refusal(staged)
    assert row["file"] == "2023/budget.xlsx"
    assert row["reason"].startswith("not a readable xlsx workbook (")
    assert [(f["dept_code"], f["code"]) for f in findings(staged)] == [(SEED, "missing_budget")]


def test_truncated_xlsx_budget_is_refused_without_raising(extracts):
    good = extracts.csv_to_xlsx("budget").read_bytes()
    extracts.path("budget.xlsx").write_bytes(good[: len(good) // 2])

    staged = extracts.stage()

    row = only_file_refusal(staged)
    assert row["file"] == "2023/budget.xlsx"
    assert row["reason"] == "not a readable xlsx workbook (BadZipFile: File is not a zip file)"
    assert staged.unscorable == {SEED}


def test_utf16_csv_is_refused_as_neither_utf8_nor_gbk(extracts):
    extracts.write_text("budget.csv", extracts.text("budget.csv"), "utf-16")

    staged = extracts.stage()

    row = only_file_refusal(staged)
    assert (row["file"], row["reason"]) == (BUDGET_FILE, "neither UTF-8 nor GBK text (byte 0)")


def test_budget_given_as_both_csv_and_xlsx_is_refused(extracts):
    rows = extracts.rows("budget.csv")
    extracts.write_xlsx("budget.xlsx", [rows[0], [as_cell(c) for c in rows[1]]])

    staged = extracts.stage()

    row = only_file_refusal(staged)
    assert row["file"] == BUDGET_FILE
    assert row["reason"] == "more than one file for it: budget.csv, budget.xlsx"
    assert staged.unscorable == {SEED}


def test_xlsx_with_empty_first_sheet_is_refused_as_empty(extracts):
    extracts.path("budget.csv").unlink()
    wb = Workbook()
    wb.active.title = "empty"
    wb.create_sheet("budget").append(["dept_code"])
    wb.save(extracts.path("budget.xlsx"))

    staged = extracts.stage()

    row = only_file_refusal(staged)
    assert (row["file"], row["reason"]) == ("2023/budget.xlsx", "the file is empty: no header row")


# -- 6. Parquet -------------------------------------------------------------------------


def _to_parquet(extracts, name: str, select: str = "*") -> None:
    """Replace ``name``.csv by a Parquet file with the same rows (text columns, or the
    typed columns ``select`` makes)."""
    import duckdb

    from pipelines.duck import text

    csv_path = extracts.path(f"{name}.csv")
    with duckdb.connect() as con:
        con.execute(
            f"COPY (SELECT {select} FROM read_csv({text(csv_path)}, all_varchar = true)) "
            f"TO {text(extracts.path(f'{name}.parquet'))} (FORMAT parquet)"
        )
    csv_path.unlink()


def test_parquet_extracts_stage_like_the_csv_they_were_made_from(extracts, seed):
    for name in ("departments", "budget", "indicators", "checklist", "self_reported"):
        _to_parquet(extracts, name)

    staged = extracts.stage()

    assert_clean(staged)
    assert staged.sources["budget"] == "2023/budget.parquet (parquet)"
    for name in ("departments", "budget", "indicators", "checklist", "self_reported"):
        pd.testing.assert_frame_equal(staged.tables[name], seed.tables[name])


def test_parquet_typed_columns_are_read_as_the_values_they_hold(extracts, seed):
    # A Parquet writer types columns: criterion_no an integer, passed a boolean.
    _to_parquet(
        extracts,
        "checklist",
        "dept_code, line_code, CAST(criterion_no AS INTEGER) AS criterion_no, "
        "passed = '是' AS passed",
    )

    staged = extracts.stage()

    assert_clean(staged)
    pd.testing.assert_frame_equal(staged.tables["checklist"], seed.tables["checklist"])


def test_bad_parquet_value_is_refused_naming_its_row_as_a_sheet_would(extracts):
    extracts.set_cell("checklist.csv", 6, "passed", "maybe")  # the 5th row of data
    _to_parquet(extracts, "checklist")

    staged = extracts.stage()

    assert rejected(staged) == [
        {
            "file": "2023/checklist.parquet",
            "row_number": 6,
            "column": "passed",
            "value": "maybe",
            "reason": "expected true/false, 是/否 or 1/0",
            "dept_code": SEED,
        }
    ]
