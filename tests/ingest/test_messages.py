"""Refusals, staging findings and stops are codes and parameters, worded by the catalog:
the same keys and placeholders in every language, a template for every code the ingest
layer makes, and a year full of faults that reads in Chinese from end to end."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from pipelines.ingest.refusals import (
    FINDING_COLUMNS,
    REJECTED_COLUMNS,
    check_error,
    reason_code,
    reason_of,
    reason_text,
    refusal,
)
from pipelines.ingest.schemas import duplicate_row
from pipelines.ingest.spec import extract_specs
from pipelines.messages import HERE, catalog, languages
from tests.ingest.support import SEED, assert_reads_in_chinese, blocking, findings, rejected

INGEST = Path(__file__).parents[2] / "pipelines" / "ingest"
OURS = {"refusal.yaml": "refusal", "finding.staging.yaml": "finding", "stage.yaml": "stage"}
PLACEHOLDER = re.compile(r"\{([^{}|]*)(?:\|[^{}]*)?\}")


def templates(lang: str, file: str) -> dict[str, str]:
    return yaml.safe_load((HERE / lang / file).read_text("utf-8"))


@pytest.mark.parametrize("file", sorted(OURS))
def test_every_language_has_the_same_keys_and_placeholders(file):
    english = templates("en", file)
    for lang in languages():
        theirs = templates(lang, file)
        assert sorted(theirs) == sorted(english), lang
        for key, text in theirs.items():
            assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(english[key])), key


def test_chinese_templates_read_as_chinese():
    for file in OURS:
        for key, text in templates("zh", file).items():
            assert re.search(r"[\u4e00-\u9fff\uff1a]", text), key  # words, or a full-width ：
            assert not re.search(r"[,;:]\s|\(", PLACEHOLDER.sub("", text)), key  # full-width


def test_every_refusal_code_the_ingest_layer_makes_has_a_template():
    made = set()
    for path in INGEST.glob("*.py"):
        made |= set(re.findall(r'(?:refusal|ReadError)\(\s*"(\w+)"', path.read_text("utf-8")))
    assert len(made) > 30
    made |= {reason_code(duplicate_row(list(spec.key))) for spec in extract_specs().values()}
    for lang in languages():
        assert not {c for c in made if f"refusal.{c}" not in catalog(lang)}, lang


def test_a_refusal_is_stored_as_code_and_json_params_and_worded_on_demand():
    why = refusal("other_fiscal_year", year=2023)
    assert (why.key, why.params) == ("refusal.other_fiscal_year", {"year": "2023"})
    assert check_error(why) == 'other_fiscal_year {"year": "2023"}'
    params = '{"year": "2023"}'
    assert reason_of("other_fiscal_year", params) == why
    assert reason_text("other_fiscal_year", params, "en") == (
        "a row of another fiscal year: this folder holds 2023"
    )
    assert reason_text("other_fiscal_year", params, "zh") == (
        "不属于本预算年度的行：本文件夹只存放 2023 年度的数据"
    )
    assert reason_text("not_a_bool", "{}", "zh") == "应为 是/否、true/false 或 1/0"


def test_staged_frames_keep_facts_not_sentences(extracts):
    extracts.set_cell("checklist.csv", 3, "passed", "也许")

    staged = extracts.stage()

    assert list(staged.rejected.columns) == REJECTED_COLUMNS
    assert list(staged.findings.columns) == FINDING_COLUMNS
    [row] = staged.rejected.to_dict(orient="records")
    assert (row["reason_code"], row["params"], row["value"]) == ("not_a_bool", "{}", "也许")
    missing = staged.findings[staged.findings["code"] == "missing_checklist_rows"]
    assert json.loads(missing["params"].iloc[0]) == {"line": "fin_system", "criteria": "2"}
    refused = staged.findings[staged.findings["code"] == "input_refused"]
    assert json.loads(refused["params"].iloc[0]) == {
        "count": "1",
        "where": "2023/checklist.csv row 3",
    }


OTHER = "BJ-TST"
# (file, row, header, value): one fault per cell, in rows of the seed department
CELLS = [
    ("budget.csv", 2, "全年预算数", "abc"),
    ("indicators.csv", 2, "actual", "优秀"),
    ("indicators.csv", 3, "weight", ""),
    ("indicators.csv", 4, "group", "outcome"),
    ("indicators.csv", 5, "actual", "不适用"),
    ("indicators.csv", 6, "assessed_score", "-1"),
    ("indicators.csv", 7, "kind", "定量性"),
    ("checklist.csv", 2, "passed", "也许"),
    ("self_reported.csv", 2, "reported_score", "十八"),
]
LINES = [
    ("budget.csv", '合计,"19,347.12",1,1,1,1,1,1,1,1,,,,,,'),
    ("indicators.csv", "BJ-XXX,goal_09,output,,新指标,qualitative,优,优,5,,"),
    ("checklist.csv", "BJ-FAO,fin_system,4,是"),
    ("checklist.csv", "BJ-FAO,budget_execution,1,是"),
    ("checklist.csv", "BJ-FAO,fin_system,3,否"),
    ("checklist.csv", "BJ-FAO,fund_compliance,1,是,多余"),
]
OVERRIDES = (
    "dept_code,line_code,score,reason,approved_by\n"
    "BJ-FAO,goal_99,1,复核,张三\nBJ-FAO,goal_07,11,复核,张三\n"
)


def test_a_year_full_of_faults_reads_in_chinese_from_end_to_end(extracts):
    extracts.add_department(OTHER)
    extracts.add_department("SH-X", jurisdiction="shanghai")
    for file, row, header, value in CELLS:
        extracts.set_cell(file, row, header, value)
    for file, line in LINES:
        extracts.append_line(file, line)
    extracts.write_text("overrides.csv", OVERRIDES)
    rows = extracts.rows("departments.csv")
    extracts.write_rows("departments.csv", [[*rows[0], "年度"], *[[*r, "2023"] for r in rows[1:]]])
    extracts.set_cell("departments.csv", 3, "年度", "2022")

    staged = extracts.stage()

    codes = set(staged.rejected["reason_code"])
    assert codes >= {
        "not_an_amount",
        "qualitative_needs_grade",
        "empty_value",
        "unknown_group",
        "outcome_not_declared",
        "assessed_score_out_of_range",
        "not_a_choice",
        "not_a_bool",
        "not_a_number",
        "total_row",
        "unknown_department",
        "criterion_out_of_range",
        "not_a_checklist_line",
        "duplicate_row_3",
        "extra_cells",
        "not_a_department_line",
        "override_score_out_of_range",
        "other_fiscal_year",
        "no_rubric",
    }
    for row in staged.rejected.itertuples(index=False):
        assert_reads_in_chinese(reason_text(row.reason_code, row.params, "zh"))
    assert {f["code"] for f in findings(staged)} >= {"input_refused", "declared_weights_mismatch"}
    assert len(rejected(staged)) == len(staged.rejected)  # each also read in both languages
    assert SEED in staged.unscorable


def test_files_refused_whole_stop_the_year_in_chinese_too(extracts):
    extracts.drop_column("budget.csv", "执行数")
    extracts.path("checklist.csv").unlink()
    extracts.path("indicators.csv").write_bytes(b"")
    rows = extracts.rows("self_reported.csv")
    extracts.write_rows(
        "self_reported.csv", [[*rows[0], "dept_code"], *[[*r, SEED] for r in rows[1:]]]
    )

    staged = extracts.stage()

    assert sorted(staged.rejected["reason_code"]) == [
        "duplicate_header",
        "empty_file",
        "file_missing",
        "missing_column",
    ]
    assert len(blocking(staged)) == 4
    for why in blocking(staged, "zh"):
        assert_reads_in_chinese(why)
    assert "2023/self_reported.csv：有两个表头对应同一列“部门编码”，整个文件不予接收" in (
        blocking(staged, "zh")
    )
    assert "2023/checklist: required file is missing" in blocking(staged)
