"""Staging: refusals name file, row, column, value and reason; departments are marked.

Every test edits one file of a copy of raw/2023 (real CSV or xlsx in tmp_path) and
stages it with the real ``read_year`` / ``stage_year`` and the repository's rubrics.
A refusal is staged as a code and its parameters; the tests assert its English
wording (``support.rejected`` renders it), exactly as English readers see it.
"""

from __future__ import annotations

import pandas as pd
import pytest

from tests.ingest.support import SEED, findings, reason_codes, rejected

OTHER = "BJ-TST"  # a second department, a copy of the seed's rows

AMOUNT = "expected an amount in 万元 such as 19,347.12 (at most 4 decimal places)"
NUMBER = "expected a number such as 7.50 (at most 4 decimal places)"
POSITIVE = "must be greater than 0 (it divides)"
EMPTY = "required value is empty"
BOOL = "expected true/false, 是/否 or 1/0"
KIND = "expected one of: quantitative, qualitative"
UNKNOWN_DEPT = "unknown department: dept_code is not in 2023/departments.csv"
CHECKLIST_LINES = (
    "beijing/2023: fin_system (1–3), fund_compliance (1–7), accounting_info (1–3), "
    "asset_mgmt (1–6), perf_mgmt (1–2)"
)
CRITERION_RANGE = f"criterion number outside the rubric's range ({CHECKLIST_LINES})"
NOT_CHECKLIST_LINE = f"not a checklist line of the department's rubric ({CHECKLIST_LINES})"
NOT_A_GROUP = "not a declared group of the department's rubric (beijing/2023: output, effect)"
NEEDS_GRADE = "a qualitative line needs a grade in {} (beijing/2023: 优, 良, 中, 差)"
NEEDS_NUMBER = "a quantitative line needs a number in {}"
TARGET_ZERO = "a quantitative target must be greater than 0 (the rate divides by it)"
NEGATIVE_ACTUAL = "a quantitative actual value must not be negative"
ASSESSED = "an assessed score must lie between 0 and the line's weight"
OVERRIDE_SCORE = "an override score must lie between 0 and the line's weight"
OVERRIDE_LINE = "not a line of this department (neither a rubric line nor a declared indicator)"
OVERFLOW = "the row has more cells than the header"
OVERRIDES_HEAD = "dept_code,line_code,score,reason,approved_by"
CODE_OF = {AMOUNT: "not_an_amount", POSITIVE: "not_positive", EMPTY: "empty_value"}


def refusal(file, row, column, value, reason, dept=SEED) -> dict:
    return dict(
        file=f"2023/{file}",
        row_number=row,
        column=column,
        value=value,
        reason=reason,
        dept_code=dept,
    )


def codes(staged, dept=SEED) -> set[str]:
    return {f["code"] for f in findings(staged) if f["dept_code"] == dept}


def input_refused_message(*where: str) -> str:
    return f"{len(where)} input value(s) refused ({', '.join(where)}); not scored"


def assert_same_table(staged, seed, name: str) -> None:
    pd.testing.assert_frame_equal(staged.tables[name], seed.tables[name])


# -- 4. a bad value is refused, the rest goes on ---------------------------------------------


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("abc", AMOUNT),
        ("94.15%", AMOUNT),
        ("19347.12345", AMOUNT),
        ("0", POSITIVE),
        ("-5", POSITIVE),
        ("", EMPTY),
    ],
    ids=["text", "percent", "five-places", "zero", "negative", "empty"],
)
def test_bad_full_year_budget_is_refused_naming_file_row_column_and_value(
    extracts, seed, written, reason
):
    extracts.set_cell("budget.csv", 2, "全年预算数", written)

    staged = extracts.stage()

    assert rejected(staged) == [
        refusal("budget.csv", 2, "full_year_budget", written or None, reason)
    ]
    assert reason_codes(staged) == [CODE_OF[reason]]
    assert findings(staged) == [
        dict(
            dept_code=SEED,
            line_code=None,
            severity="error",
            code="missing_budget",
            message="no accepted budget row; not scored",
        ),
        dict(
            dept_code=SEED,
            line_code=None,
            severity="error",
            code="input_refused",
            message=input_refused_message("2023/budget.csv row 2"),
        ),
    ]
    assert staged.unscorable == {SEED}
    assert staged.tables["budget"].empty
    for name in ("departments", "indicators", "checklist", "self_reported"):
        assert_same_table(staged, seed, name)  # the other files' good rows are all there


def test_empty_indicator_weight_is_refused_and_the_other_lines_are_kept(extracts, seed):
    extracts.set_cell("indicators.csv", 2, "weight", "")

    staged = extracts.stage()

    assert refusal("indicators.csv", 2, "weight", None, EMPTY) in rejected(staged)
    assert list(staged.tables["indicators"].index) == [3, 4, 5, 6, 7, 8]
    pd.testing.assert_frame_equal(
        staged.tables["indicators"], seed.tables["indicators"].drop(index=[2])
    )
    assert codes(staged) == {"input_refused", "declared_weights_mismatch"}
    assert staged.unscorable == {SEED}
    assert_same_table(staged, seed, "budget")


@pytest.mark.parametrize(
    ("written", "reason"), [("", EMPTY), ("7.5%", NUMBER)], ids=["empty", "percent"]
)
def test_bad_indicator_weight_gives_exactly_one_refusal(extracts, written, reason):
    extracts.set_cell("indicators.csv", 2, "weight", written)

    staged = extracts.stage()

    assert rejected(staged) == [refusal("indicators.csv", 2, "weight", written or None, reason)]


def test_bad_checklist_flag_is_refused_and_reported_as_missing_criterion(extracts, seed):
    extracts.set_cell("checklist.csv", 3, "passed", "也许")

    staged = extracts.stage()

    assert rejected(staged) == [refusal("checklist.csv", 3, "passed", "也许", BOOL)]
    missing = "checklist fin_system: no row for criteria 2; not scored"
    assert [(f["code"], f["line_code"], f["message"]) for f in findings(staged)] == [
        ("missing_checklist_rows", "fin_system", missing),
        ("input_refused", None, input_refused_message("2023/checklist.csv row 3")),
    ]
    assert len(staged.tables["checklist"]) == len(seed.tables["checklist"]) - 1


# -- 5. a second department -------------------------------------------------------------------


def test_second_department_with_good_rows_is_scorable_too(extracts, seed):
    extracts.add_department(OTHER)

    staged = extracts.stage()

    assert rejected(staged) == []
    assert findings(staged) == []
    assert list(staged.tables["departments"]["dept_code"]) == [SEED, OTHER]
    assert list(staged.tables["budget"]["dept_code"]) == [SEED, OTHER]
    assert len(staged.tables["checklist"]) == 2 * len(seed.tables["checklist"])
    assert set(staged.rubric_of) == {SEED, OTHER}


@pytest.mark.parametrize(
    ("file", "row", "header", "written", "column", "reason"),
    [
        ("budget.csv", 3, "全年预算数", "abc", "full_year_budget", AMOUNT),
        ("budget.csv", 3, "年初预算数", "0", "initial_budget", POSITIVE),
        ("indicators.csv", 9, "actual", "优秀", "actual", NEEDS_GRADE.format("actual")),
        ("indicators.csv", 9, "kind", "定量性", "kind", KIND),
        ("checklist.csv", 23, "passed", "maybe", "passed", BOOL),
        ("self_reported.csv", 18, "reported_score", "十八", "reported_score", NUMBER),
    ],
    ids=["budget-text", "budget-zero", "indicator-grade", "indicator-kind", "checklist", "self"],
)
def test_bad_row_of_second_department_leaves_seed_department_scorable(
    extracts, seed, file, row, header, written, column, reason
):
    extracts.add_department(OTHER)
    assert extracts.rows(file)[row - 1][0] == OTHER
    extracts.set_cell(file, row, header, written)

    staged = extracts.stage()

    assert rejected(staged) == [refusal(file, row, column, written, reason, dept=OTHER)]
    assert staged.unscorable == {OTHER}
    assert codes(staged, SEED) == set()
    assert "input_refused" in codes(staged, OTHER)
    extract = file.removesuffix(".csv")
    assert SEED in set(staged.tables[extract]["dept_code"])  # the same file's good rows
    assert list(staged.tables["departments"]["dept_code"]) == [SEED, OTHER]
    seed_rows = staged.tables[extract][staged.tables[extract]["dept_code"] == SEED]
    pd.testing.assert_frame_equal(seed_rows, seed.tables[extract])


# -- 6. a required column is missing ---------------------------------------------------------


def test_missing_required_budget_column_refuses_the_file_for_every_department(extracts, seed):
    extracts.add_department(OTHER)
    extracts.drop_column("budget.csv", "执行数")

    staged = extracts.stage()

    rows = rejected(staged)
    assert rows == [
        refusal(
            "budget.csv",
            1,
            "executed",
            None,
            "required column is missing (accepted headers: executed / 执行数 / 资金支出数 / "
            "全年执行数 / 执行数（万元）); the file is refused",
            dept=None,
        )
    ]
    assert rows[0]["reason"].startswith("required column is missing")
    assert [(f["dept_code"], f["severity"], f["code"]) for f in findings(staged)] == [
        (SEED, "error", "missing_budget"),
        (OTHER, "error", "missing_budget"),
    ]
    assert staged.unscorable == {SEED, OTHER}
    assert staged.tables["budget"].empty
    assert list(staged.tables["budget"].columns) == list(seed.tables["budget"].columns)
    assert len(staged.tables["indicators"]) == 2 * len(seed.tables["indicators"])


def test_two_headers_for_the_same_column_refuse_the_file(extracts):
    rows = extracts.rows("budget.csv")
    extracts.write_rows("budget.csv", [[*rows[0], "dept_code"], [*rows[1], SEED]])

    staged = extracts.stage()

    assert rejected(staged) == [
        refusal(
            "budget.csv",
            1,
            "dept_code",
            "dept_code",
            "two headers name the same column 'dept_code'; the file is refused",
            dept=None,
        )
    ]
    assert codes(staged) == {"missing_budget"}


# -- 8. rows that the contract or the rubric refuses -------------------------------------------


def test_duplicate_budget_rows_are_both_refused(extracts):
    extracts.append_line("budget.csv", extracts.text("budget.csv").splitlines()[1])

    staged = extracts.stage()

    duplicate = "duplicate row: another row has the same dept_code"
    assert rejected(staged) == [
        refusal("budget.csv", 2, "dept_code", SEED, duplicate),
        refusal("budget.csv", 3, "dept_code", SEED, duplicate),
    ]
    assert findings(staged, "input_refused")[0]["message"] == input_refused_message(
        "2023/budget.csv row 2", "2023/budget.csv row 3"
    )
    assert codes(staged) == {"missing_budget", "input_refused"}


def test_duplicate_indicator_line_is_refused_naming_the_key_columns(extracts):
    extracts.append_line("indicators.csv", extracts.text("indicators.csv").splitlines()[1])

    staged = extracts.stage()

    duplicate = "duplicate row: another row has the same dept_code + line_code"
    assert rejected(staged) == [
        refusal("indicators.csv", 2, "dept_code,line_code", None, duplicate),
        refusal("indicators.csv", 9, "dept_code,line_code", None, duplicate),
    ]
    assert reason_codes(staged) == ["duplicate_row_2", "duplicate_row_2"]
    assert codes(staged) == {"input_refused", "declared_weights_mismatch"}


def test_indicator_of_unknown_department_is_refused_and_seed_stays_scorable(extracts, seed):
    extracts.append_line("indicators.csv", "BJ-XXX,goal_09,output,,新指标,qualitative,优,优,5,,")

    staged = extracts.stage()

    assert rejected(staged) == [
        refusal("indicators.csv", 9, "dept_code", "BJ-XXX", UNKNOWN_DEPT, dept="BJ-XXX")
    ]
    assert staged.rejected["params"].tolist() == ['{"source": "2023/departments.csv"}']
    assert findings(staged) == []
    assert staged.unscorable == set()
    assert_same_table(staged, seed, "indicators")


def test_checklist_criterion_beyond_the_rubric_is_refused(extracts, seed):
    extracts.append_line("checklist.csv", "BJ-FAO,fin_system,4,是")

    staged = extracts.stage()

    assert rejected(staged) == [refusal("checklist.csv", 23, "criterion_no", "4", CRITERION_RANGE)]
    assert [(f["code"], f["message"]) for f in findings(staged)] == [
        ("input_refused", input_refused_message("2023/checklist.csv row 23"))
    ]
    assert staged.unscorable == {SEED}
    assert_same_table(staged, seed, "checklist")


def test_checklist_row_for_a_line_that_is_not_a_checklist_is_refused(extracts):
    extracts.append_line("checklist.csv", "BJ-FAO,budget_execution,1,是")

    staged = extracts.stage()

    assert rejected(staged) == [
        refusal("checklist.csv", 23, "line_code", "budget_execution", NOT_CHECKLIST_LINE)
    ]
    assert codes(staged) == {"input_refused"}


def test_missing_checklist_row_gives_missing_checklist_rows_error(extracts):
    extracts.replace("checklist.csv", "BJ-FAO,fin_system,2,是\n", "")

    staged = extracts.stage()

    assert rejected(staged) == []
    assert findings(staged) == [
        dict(
            dept_code=SEED,
            line_code="fin_system",
            severity="error",
            code="missing_checklist_rows",
            message="checklist fin_system: no row for criteria 2; not scored",
        )
    ]
    assert staged.unscorable == {SEED}


def quantitative(target: str, actual: str) -> dict:
    return {"kind": "quantitative", "target": target, "actual": actual}


@pytest.mark.parametrize(
    ("cells", "column", "value", "reason"),
    [
        pytest.param(
            {"actual": "优秀"},
            "actual",
            "优秀",
            NEEDS_GRADE.format("actual"),
            id="qualitative-actual-not-a-grade",
        ),
        pytest.param(
            {"target": "A"},
            "target",
            "A",
            NEEDS_GRADE.format("target"),
            id="qualitative-target-not-a-grade",
        ),
        pytest.param(
            quantitative("0", "5"), "target", "0", TARGET_ZERO, id="quantitative-target-zero"
        ),
        pytest.param(
            quantitative("优", "5"),
            "target",
            "优",
            NEEDS_NUMBER.format("target"),
            id="quantitative-target-grade",
        ),
        pytest.param(
            quantitative("10", "很好"),
            "actual",
            "很好",
            NEEDS_NUMBER.format("actual"),
            id="quantitative-actual-text",
        ),
        pytest.param(
            quantitative("10", "-1"),
            "actual",
            "-1",
            NEGATIVE_ACTUAL,
            id="quantitative-actual-negative",
        ),
        pytest.param(
            {"assessed_score": "8.00"},
            "assessed_score",
            "8.00",
            ASSESSED,
            id="assessed-above-weight",
        ),
        pytest.param(
            {"assessed_score": "-1"}, "assessed_score", "-1", ASSESSED, id="assessed-negative"
        ),
        pytest.param({"group": "outcome"}, "group", "outcome", NOT_A_GROUP, id="unknown-group"),
        pytest.param({"kind": "定量性"}, "kind", "定量性", KIND, id="unknown-kind"),
        pytest.param(
            {"weight": "0", "assessed_score": ""}, "weight", "0", POSITIVE, id="weight-zero"
        ),
    ],
)
def test_bad_indicator_line_is_refused_and_its_group_no_longer_adds_up(
    extracts, seed, cells, column, value, reason
):
    for header, written in cells.items():
        extracts.set_cell("indicators.csv", 2, header, written)

    staged = extracts.stage()

    assert rejected(staged) == [refusal("indicators.csv", 2, column, value, reason)]
    assert [(f["code"], f["message"]) for f in findings(staged)] == [
        (
            "declared_weights_mismatch",
            "group output: declared line weights add up to 22.50, "
            "the rubric's group weight is 30; not scored",
        ),
        ("input_refused", input_refused_message("2023/indicators.csv row 2")),
    ]
    assert staged.unscorable == {SEED}
    pd.testing.assert_frame_equal(
        staged.tables["indicators"], seed.tables["indicators"].drop(index=[2])
    )


def test_quantitative_line_with_numbers_is_accepted(extracts):
    for header, written in {"kind": "定量", "target": "1,000", "actual": "９５０"}.items():
        extracts.set_cell("indicators.csv", 2, header, written)

    staged = extracts.stage()

    assert rejected(staged) == [] and findings(staged) == []
    row = staged.tables["indicators"].loc[2]
    assert (row["kind"], row["target"], row["actual"]) == ("quantitative", "1000", "950")


def test_declared_weights_that_do_not_add_up_to_the_group_weight_are_an_error(extracts):
    extracts.set_cell("indicators.csv", 2, "weight", "8.50")

    staged = extracts.stage()

    assert rejected(staged) == []
    assert findings(staged) == [
        dict(
            dept_code=SEED,
            line_code=None,
            severity="error",
            code="declared_weights_mismatch",
            message="group output: declared line weights add up to 31.00, "
            "the rubric's group weight is 30; not scored",
        )
    ]
    assert staged.unscorable == {SEED}
    assert len(staged.tables["indicators"]) == 7  # accepted: the rows are fine, the sum is not


def test_group_without_any_declared_line_is_a_weights_mismatch(extracts):
    lines = extracts.text("indicators.csv").splitlines()
    extracts.write_text("indicators.csv", "\n".join(ln for ln in lines if ",effect," not in ln))

    staged = extracts.stage()

    assert rejected(staged) == []
    assert [f["message"] for f in findings(staged, "declared_weights_mismatch")] == [
        "group effect: declared line weights add up to 0, "
        "the rubric's group weight is 30; not scored"
    ]


# -- overrides -------------------------------------------------------------------------------


def test_valid_override_is_staged(extracts):
    extracts.write_text("overrides.csv", f"{OVERRIDES_HEAD}\nBJ-FAO,goal_02,9.00,复核,张三\n")

    staged = extracts.stage()

    assert rejected(staged) == [] and findings(staged) == []
    assert staged.tables["overrides"].loc[2, ["line_code", "score"]].tolist() == ["goal_02", "9.00"]


@pytest.mark.parametrize(
    ("row", "column", "value", "reason"),
    [
        ("BJ-FAO,goal_02,11,复核,张三", "score", "11", OVERRIDE_SCORE),
        ("BJ-FAO,goal_99,1,复核,张三", "line_code", "goal_99", OVERRIDE_LINE),
        ("BJ-FAO,perf_mgmt,4.5,复核,张三", "score", "4.5", OVERRIDE_SCORE),
    ],
    ids=["above-declared-weight", "unknown-line", "above-rubric-weight"],
)
def test_bad_override_is_refused_and_its_department_not_scored(
    extracts, row, column, value, reason
):
    extracts.write_text("overrides.csv", f"{OVERRIDES_HEAD}\n{row}\n")

    staged = extracts.stage()

    assert rejected(staged) == [refusal("overrides.csv", 2, column, value, reason)]
    assert codes(staged) == {"input_refused"}
    assert staged.unscorable == {SEED}


# -- rows with more cells than the header ---------------------------------------------------


def test_row_with_more_cells_than_header_is_refused_with_the_extra_cells(extracts):
    extracts.replace("checklist.csv", "BJ-FAO,fin_system,1,是", "BJ-FAO,fin_system,1,是,多余,,又一")

    staged = extracts.stage()

    assert rejected(staged) == [
        refusal("checklist.csv", 2, None, "多余 | 又一", OVERFLOW, dept=SEED)
    ]
    assert list(staged.tables["checklist"].index)[:2] == [3, 4]
    assert staged.unscorable == {SEED}


def test_refused_overlong_override_row_makes_its_department_unscorable(extracts):
    extracts.write_text("overrides.csv", f"{OVERRIDES_HEAD}\nBJ-FAO,goal_02,9.00,复核,张三,多余\n")

    staged = extracts.stage()

    assert [(r["row_number"], r["reason"]) for r in rejected(staged)] == [(2, OVERFLOW)]
    assert staged.tables["overrides"].empty
    assert rejected(staged)[0]["dept_code"] == SEED
    assert "input_refused" in codes(staged)
    assert staged.unscorable == {SEED}


# -- 9. an unknown column ------------------------------------------------------------------


def test_unknown_extra_column_is_ignored_with_an_info_finding(extracts, seed):
    rows = extracts.rows("budget.csv")
    extracts.write_rows("budget.csv", [[*rows[0], "填报人"], [*rows[1], "张三"]])

    staged = extracts.stage()

    assert rejected(staged) == []
    assert findings(staged) == [
        dict(
            dept_code=None,
            line_code=None,
            severity="info",
            code="column_ignored",
            message="2023/budget.csv: column '填报人' is not in the contract and was ignored",
        )
    ]
    assert staged.unscorable == set()
    assert_same_table(staged, seed, "budget")


# -- a department whose jurisdiction has no rubric -----------------------------------------


def test_department_with_jurisdiction_without_rubric_is_refused_not_fatal(extracts):
    extracts.add_department("SH-X", jurisdiction="shanghai")

    staged = extracts.stage()

    bad = [r for r in rejected(staged) if r["file"] == "2023/departments.csv"]
    assert [(r["row_number"], r["column"], r["value"]) for r in bad] == [
        (3, "jurisdiction", "shanghai")
    ]
    assert SEED not in staged.unscorable
    assert bad[0]["reason"].startswith("no rubric for jurisdiction 'shanghai' in 2023; write ")
    assert bad[0]["reason"].endswith(
        "rubrics/shanghai/2023.yaml (nothing reuses another year's rubric)"
    )
    assert "SH-X" in staged.unscorable
    assert reason_codes(staged)[0] == "no_rubric"


@pytest.mark.parametrize("written", ["不适用", "not_applicable", "N/A"])
def test_an_outcome_the_rubric_does_not_declare_is_refused_once(extracts, written):
    # beijing/2023 declares no outcomes; rubrics/chongqing/2023 accepts not_applicable
    extracts.set_cell("indicators.csv", 2, "actual", written)

    staged = extracts.stage()

    assert [(r["row_number"], r["column"], r["value"], r["reason"]) for r in rejected(staged)] == [
        (
            2,
            "actual",
            "not_applicable",
            "an outcome the department's rubric does not accept (beijing/2023: none)",
        )
    ]
    assert reason_codes(staged) == ["outcome_not_declared"]
    assert SEED in staged.unscorable
