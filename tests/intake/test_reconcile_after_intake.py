"""After intake, scoring 2023 reconciles every figure the seed states with the extracts:
no finding for BJ-FAO that it did not have before; and an amount or a section score
that disagrees is a finding. Expected sentences are worked out by hand."""

from __future__ import annotations

import re
import shutil

import duckdb
import pytest

from pipelines.annual import run_year
from pipelines.intake import intake_report
from pipelines.messages import catalog
from tests.conftest import RAW, RUBRICS
from tests.intake.conftest import FORMATS, seed_report

RECONCILIATION = (
    "reported_value_unreadable",
    "reported_rate_mismatch",
    "reported_score_mismatch",
    "reported_line_unknown",
    "reported_amount_mismatch",
)


def findings(raw, warehouse) -> set[tuple]:
    run_year(raw, RUBRICS, warehouse, 2023)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return set(
            con.execute(
                "SELECT line_code, severity, code, message_en, message FROM v_findings "
                "WHERE year = 2023 AND dept_code = 'BJ-FAO'"
            ).fetchall()
        )


def fresh_raw(tmp_path, name: str):
    raw = tmp_path / name
    shutil.copytree(RAW / "2023", raw / "2023")
    return raw


def edit(path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), "utf-8")


@pytest.fixture(scope="module")
def before(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("before")
    return findings(fresh_raw(tmp, "raw"), tmp / "w.duckdb")


@pytest.mark.parametrize("fmt", FORMATS)
def test_intake_leaves_no_finding_the_department_did_not_have(before, tmp_path, fmt):
    raw = fresh_raw(tmp_path, "raw")
    intake_report(seed_report(fmt), 2023, "BJ-FAO", raw, RUBRICS)
    after = findings(raw, tmp_path / "w.duckdb")
    assert after <= before
    # before: the hand-typed garbled cell; after: the report's readable 18.62% instead
    assert {f[2] for f in before if f[2] in RECONCILIATION} == {"reported_value_unreadable"}
    assert not {f[2] for f in after if f[2] in RECONCILIATION}


def test_amounts_and_sections_that_disagree_are_findings(tmp_path):
    raw = fresh_raw(tmp_path, "raw")
    intake_report(seed_report("txt"), 2023, "BJ-FAO", raw, RUBRICS)
    budget = raw / "2023" / "budget.csv"
    # project expenditure 8782.05 in the extract, 8782.5 in the report; the full-year
    # budget at four places, 19347.1240, still 19347.12 as printed (two places)
    edit(
        budget,
        '"9,410.86","18,214.74","9,432.24","8,782.50"',
        '"9,410.86","18,214.74","9,432.24","8,782.05"',
    )
    edit(budget, 'BJ-FAO,"19,347.12"', 'BJ-FAO,"19,347.1240"')
    reported = raw / "2023" / "self_reported.csv"
    edit(
        reported, "BJ-FAO,SECTION:goal_achievement,56.00,", "BJ-FAO,SECTION:goal_achievement,55.00,"
    )
    with reported.open("a", encoding="utf-8") as f:
        # row 50: the header, BJ-FAO's 30 rows, the 18 synthetic ones, then this
        f.write("BJ-FAO,SECTION:no_such_section,1.00,,typed by hand,\n")
    every = [f for f in findings(raw, tmp_path / "w.duckdb") if f[2] in RECONCILIATION]
    found = sorted((f[:4] for f in every), key=lambda f: (f[0] or "", f[2]))
    assert found == [
        (
            None,
            "warning",
            "reported_amount_mismatch",
            # 8782.05 to the one place printed: 8782.1 (half-up) ≠ 8782.5
            "reported project_executed 8782.50 but the budget extract has 8782.05 (off by "
            "0.45); the budget extract is the one scored: check the published figure or the "
            "extract",
        ),
        (
            None,
            "warning",
            "reported_score_mismatch",
            "reported score 55.00 for section goal_achievement (整体绩效目标实现情况) but the "
            "scored section is 56.00; compare its line scores to find the difference",
        ),
        (
            "SECTION:no_such_section",
            "warning",
            "reported_line_unknown",
            "self_reported row 50 reports score 1.00 for line SECTION:no_such_section, which is "
            "not a scored line of this department; check its line_code against the indicators "
            "extract and the rubric",
        ),
    ]
    assert {f[4] for f in every if f[2] == "reported_amount_mismatch"} == {
        "自评报告所列项目支出执行数为 8782.50 万元，但预算数据中为 8782.05 万元（相差 0.45 万元）；"
        "评分以预算数据为准，请核对报告或预算数据"
    }


def test_the_new_finding_templates_have_both_languages_with_the_same_placeholders():
    placeholder = re.compile(r"\{([^{}|]*)(?:\|[^{}]*)?\}")
    keys = ["finding.reported_amount_mismatch", "finding.reported_score_mismatch.section"]
    zh, en = catalog("zh"), catalog("en")
    for key in keys:
        assert set(placeholder.findall(zh[key])) == set(placeholder.findall(en[key])), key
        assert not re.search(r"[,:;()]", zh[key]), key  # full-width punctuation in Chinese
