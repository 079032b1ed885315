"""Reconciliation findings on the real seed department, staged and scored by the pipeline,
with staged text cells altered to provoke each finding. Figures are checked by hand.

A finding is stored as a code and parameters; the warehouse view ``v_findings`` renders
it. The English sentences (``message_en``) are asserted word for word; every Chinese one
(``message``) must be a filled Chinese sentence."""

import copy
import re
from decimal import Decimal

import duckdb
import pandas as pd
import pytest

from pipelines.annual import replace_year, rubrics_in_use, stage
from pipelines.ingest.stage import read_year
from pipelines.messages import catalog
from pipelines.quality.reconcile import findings_sql
from pipelines.rubric.library import RubricLibrary
from pipelines.scoring import aggregate
from pipelines.scoring.rules import FINDING_COLUMNS
from tests.conftest import RUBRICS, SEED_RAW

UNREADABLE = (
    "BJ-FAO",
    "budget_final_diff",
    "info",
    "reported_value_unreadable",
    "reported budget/final-accounts difference rate '18.6213.01% %' is not one number; the "
    "rate derived from the budget extract is used: |18214.74 − 15355.12| / 15355.12 = 18.62%",
)
DERIVED = "; the rate derived from the budget extract is the one scored: check the published figure"
PARTS = "; correct the part or the total the department sent"
CJK = re.compile(r"[\u4e00-\u9fff]")
# the codes of findings_sql and of aggregate.findings_sql: their templates are tested here
CODES = {
    "reported_value_unreadable",
    "reported_rate_mismatch",
    "reported_score_mismatch",
    "reported_line_unknown",
    "aggregation_mismatch",
    "budget_parts_mismatch",
    "prior_rate_mismatch",
    "line_name_drift",
    "group_reweighted",
    "total_capped",
}


@pytest.fixture(scope="module")
def seed():
    library = RubricLibrary(RUBRICS)
    staged = stage(read_year(SEED_RAW, 2023), library)
    assert staged.findings.empty and staged.rejected.empty
    return staged, rubrics_in_use(staged, library)


def edit(tables, extract: str, column: str, value, **where) -> None:
    frame = tables[extract]
    mask = pd.Series(True, index=frame.index)
    for col, val in where.items():
        mask &= frame[col] == val
    assert mask.sum() == 1, (extract, where)
    frame.loc[mask, column] = value


def scored(seed, change=None, last_year=None) -> duckdb.DuckDBPyConnection:
    """The seed year written into a fresh in-memory warehouse, optionally altered, with
    an altered copy of it as last year's."""
    staged, rubrics = seed
    con = duckdb.connect()
    if last_year:
        prior = copy.deepcopy(staged)
        prior.year = 2022
        last_year(prior.tables)
        replace_year(con, prior, rubrics, "prior")
    this = copy.deepcopy(staged)
    if change:
        change(this)
    replace_year(con, this, rubrics, "this")  # leaves its inputs bound (prior_indicators too)
    return con


def findings(con, seed, also=()) -> list[tuple]:
    """The reconciliation findings of 2023 (and those of the SELECTs ``also``) on the
    engine's relations as they are now, as the warehouse stores them (in place of the
    year's findings) and ``v_findings`` shows them: (dept_code, line_code, severity,
    code, message_en). Each one's Chinese message is checked on the way."""
    rubric = seed[1][0].rubric
    union = " UNION ALL ".join(
        f"SELECT * FROM ({q}) AS f({FINDING_COLUMNS})" for q in [*findings_sql(rubric), *also]
    )
    con.execute("DELETE FROM findings WHERE year = 2023")
    con.execute(
        f"INSERT INTO findings (year, {FINDING_COLUMNS}, run_id) "
        f"SELECT 2023, {FINDING_COLUMNS}, 'this' FROM ({union})"
    )
    rows = con.execute(
        "SELECT dept_code, line_code, severity, code, message_en, message FROM v_findings "
        "WHERE year = 2023 ORDER BY dept_code NULLS FIRST, line_code NULLS FIRST, code, message_en"
    ).fetchall()
    for *_, code, english, chinese in rows:
        assert english and "{" not in english and "‹" not in english, (code, english)
        assert CJK.search(chinese), (code, chinese)
        assert "{" not in chinese and "‹" not in chinese, (code, chinese)
    return [row[:5] for row in rows]


def chinese(con, code: str) -> list[str]:
    """The Chinese messages of ``code`` that ``findings`` last stored."""
    found = con.execute("SELECT message FROM v_findings WHERE year = 2023 AND code = ?", [code])
    return [m for (m,) in found.fetchall()]


def test_the_finding_templates_have_both_languages_with_the_same_placeholders():
    placeholder = re.compile(r"\{([^{}|]*)(?:\|[^{}]*)?\}")
    en, zh = (
        {
            k: v
            for k, v in catalog(lang).items()
            if k.split(".")[0] == "finding" and k.split(".")[1] in CODES
        }
        for lang in ("en", "zh")
    )
    assert en.keys() == zh.keys()
    assert {k.split(".")[1] for k in zh} == CODES
    for key, template in zh.items():
        assert set(placeholder.findall(template)) == set(placeholder.findall(en[key])), key
        assert CJK.search(template), key
        assert not re.search(r"[,:;()]", template), key  # full-width punctuation in Chinese


def test_the_engine_relations_stay_on_the_connection_after_replace_year(seed):
    con = scored(seed)
    temp = dict(
        con.execute(
            "SELECT table_name, table_type FROM information_schema.tables "
            "WHERE table_catalog = 'temp'"
        ).fetchall()
    )
    for name in ("scope", "scored_lines", "scored_groups", "scored_sections"):
        assert temp[name] == "LOCAL TEMPORARY"
    for name in ("stg_budget", "stg_self_reported", "prior_budget", "prior_indicators"):
        assert temp[name] == "VIEW"
    assert con.execute("SELECT total_score FROM scored_departments").fetchall() == [
        (Decimal("94.83"),)
    ]


def test_the_seed_department_has_only_its_garbled_cell(seed):
    con = scored(seed)
    assert findings(con, seed) == [UNREADABLE]
    assert chinese(con, "reported_value_unreadable") == [
        "自评填报的预决算差异率“18.6213.01% %”无法识别为一个数值；已采用根据预算数据计算的"
        "预决算差异率：|18214.74 − 15355.12| / 15355.12 = 18.62%"
    ]


def test_reported_rates_are_parsed_and_compared_at_the_rubrics_places(seed):
    def change(s):
        edit(s.tables, "self_reported", "reported_value", "94.10%", line_code="budget_execution")
        edit(s.tables, "self_reported", "reported_value", " 5.9 % ", line_code="carryover_rate")
        edit(
            s.tables,
            "self_reported",
            "reported_value",
            "１８.６２４％",
            line_code="budget_final_diff",
        )

    assert findings(scored(seed, change), seed) == [
        (
            "BJ-FAO",
            "budget_execution",
            "warning",
            "reported_rate_mismatch",
            "reported execution rate 94.10% but 18214.74 / 19347.12 = 94.15%" + DERIVED,
        ),
        (
            "BJ-FAO",
            "carryover_rate",
            "warning",
            "reported_rate_mismatch",
            "reported carryover rate 5.90% but 1132.39 / 19347.12 = 5.85%" + DERIVED,
        ),
    ]  # 18.624 rounds half-up to 18.62: the garbled cell, now readable, agrees


def test_reported_scores_against_line_scores_and_the_total(seed):
    def change(s):  # one asset criterion failed: 4 − 0.8 = 3.20; total 94.83 − 0.80
        edit(s.tables, "checklist", "passed", "false", line_code="asset_mgmt", criterion_no="6")

    assert findings(scored(seed, change), seed) == [
        (
            "BJ-FAO",
            None,
            "warning",
            "reported_score_mismatch",
            "reported total 94.83 but the scored total is 94.03 (the sum of the section "
            "scores), grade 优; compare the line scores to find the difference",
        ),
        (
            "BJ-FAO",
            "asset_mgmt",
            "warning",
            "reported_score_mismatch",
            "reported score 4.00 for asset_mgmt (资产管理规范性) but the rubric gives 3.20: "
            "6 criteria, 1 failed (no. 6): 4 − 1 × 0.8 = 3.20 (rubrics/beijing/2023 · asset_mgmt)",
        ),
        UNREADABLE,
    ]


def test_a_reported_line_the_department_does_not_have(seed):
    def change(s):  # the narrative's goal six has no line in the table
        edit(s.tables, "self_reported", "line_code", "goal_06", line_code="goal_05")

    assert findings(scored(seed, change), seed) == [
        UNREADABLE,
        (
            "BJ-FAO",
            "goal_06",
            "warning",
            "reported_line_unknown",
            "self_reported row 6 reports score 7.50 for line goal_06, which is not a scored "
            "line of this department; check its line_code against the indicators extract and "
            "the rubric",
        ),
    ]


def test_budget_parts_against_their_totals(seed):
    def change(s):
        edit(s.tables, "budget", "other_budget", "1.00", dept_code="BJ-FAO")
        edit(s.tables, "budget", "project_executed", "8782.05", dept_code="BJ-FAO")
        edit(s.tables, "budget", "carryover_nonfiscal", "346.60", dept_code="BJ-FAO")
        edit(s.tables, "budget", "carryover_fiscal_basic", "504.00", dept_code="BJ-FAO")

    assert findings(scored(seed, change), seed) == [
        (
            "BJ-FAO",
            None,
            "warning",
            "budget_parts_mismatch",
            "budget extract: basic_budget 9936.26 + project_budget 9410.86 + other_budget "
            "1.00 = 19348.12 but full_year_budget is 19347.12 (off by 1.00)" + PARTS,
        ),
        (
            "BJ-FAO",
            None,
            "warning",
            "budget_parts_mismatch",
            "budget extract: basic_executed 9432.24 + project_executed 8782.05 = 18214.29 "
            "but executed is 18214.74 (off by -0.45)" + PARTS,
        ),
        (
            "BJ-FAO",
            None,
            "warning",
            "budget_parts_mismatch",
            "budget extract: carryover_fiscal 785.89 + carryover_nonfiscal 346.60 = 1132.49 "
            "but carryover_total is 1132.39 (off by 0.10)" + PARTS,
        ),
        (
            "BJ-FAO",
            None,
            "warning",
            "budget_parts_mismatch",
            "budget extract: carryover_fiscal_basic 504.00 + carryover_fiscal_project 281.87 "
            "= 785.87 but carryover_fiscal is 785.89 (off by -0.02)" + PARTS,
        ),
        UNREADABLE,
    ]


def test_carryover_splits_are_only_compared_when_present(seed):
    def change(s):
        edit(s.tables, "budget", "carryover_fiscal", None, dept_code="BJ-FAO")
        edit(s.tables, "budget", "carryover_fiscal_basic", "1.00", dept_code="BJ-FAO")

    assert findings(scored(seed, change), seed) == [UNREADABLE]


def last_year_amounts(carryover, budget, initial, final):
    def change(tables):
        b = tables["budget"]
        b.loc[:, ["carryover_total", "full_year_budget"]] = [carryover, budget]
        b.loc[:, ["initial_budget", "final_accounts"]] = [initial, final]

    return change


def test_last_years_published_rates_against_last_years_amounts(seed):
    # 1200 / 18000 = 6.667 → 6.67 (extract: 6.81); |17000 − 15000| / 15000 = 13.33 (13.01)
    con = scored(seed, last_year=last_year_amounts("1200.00", "18000.00", "15000.00", "17000.00"))
    assert findings(con, seed) == [
        (
            "BJ-FAO",
            "budget_final_diff",
            "info",
            "prior_rate_mismatch",
            "prior_diff_rate in the budget extract is 13.01% but last year's staged amounts "
            "give |17000.00 − 15000.00| / 15000.00 = 13.33%; check which figure was published "
            "(the rubric does not score against it)",
        ),
        UNREADABLE,
        (
            "BJ-FAO",
            "carryover_rate",
            "info",
            "prior_rate_mismatch",
            "prior_carryover_rate in the budget extract is 6.81% but last year's staged "
            "amounts give 1200.00 / 18000.00 = 6.67%; check which figure was published (the "
            "scoring uses last year's amounts)",
        ),
    ]


def test_last_years_rates_that_agree_are_no_finding(seed):
    # 681 / 10000 = 6.81; |11301 − 10000| / 10000 = 13.01
    con = scored(seed, last_year=last_year_amounts("681.00", "10000.00", "10000.00", "11301.00"))
    assert findings(con, seed) == [UNREADABLE]


def test_a_line_renamed_since_last_year(seed):
    def last_year(tables):  # the goal list's wording; the 2023 table says 正常水平
        name = "全面提升首都外事干部素质水平和业务能力"
        edit(tables, "indicators", "name", name, line_code="goal_04")

    found = findings(scored(seed, last_year=last_year), seed)
    assert [f for f in found if f[3] == "line_name_drift"] == [
        (
            "BJ-FAO",
            "goal_04",
            "info",
            "line_name_drift",
            "line goal_04 is named '全面提升首都外事干部正常水平和业务能力' this year but was "
            "'全面提升首都外事干部素质水平和业务能力' last year; lines are joined on their "
            "code: check that it is still the same goal",
        ),
    ]


def test_a_wrong_aggregation_is_an_error(seed):
    con = scored(seed)
    con.execute("""UPDATE scored_groups SET score = 25 WHERE "group" = 'effect'""")
    assert [f for f in findings(con, seed) if f[2] == "error"] == [
        (
            "BJ-FAO",
            None,
            "error",
            "aggregation_mismatch",
            "group effect scores 25.00 but its parts sum to goal_02 8.00 + goal_08 8.00 + "
            "goal_07 10.00 = 26.00; the scoring engine aggregated wrongly: report this run, "
            "the scores of this department are not reliable",
        ),
        (
            "BJ-FAO",
            None,
            "error",
            "aggregation_mismatch",
            "section goal_achievement scores 56.00 but its parts sum to output 30.00 + effect "
            "25.00 = 55.00; the scoring engine aggregated wrongly: report this run, the "
            "scores of this department are not reliable",
        ),
    ]


def test_departments_out_of_scope_get_no_reconciliation_findings(seed):
    def change(s):  # as staging does for a department it refuses to score
        error = ["BJ-FAO", None, "error", "missing_budget", {}]
        s.findings = pd.DataFrame([error], columns=s.findings.columns)
        edit(s.tables, "self_reported", "reported_score", "90.00", line_code="TOTAL")

    assert findings(scored(seed, change), seed) == []


def test_a_group_scaled_by_design_is_no_aggregation_error(seed):
    def change(s):  # output lines now weigh 32.5 for a group of 30: the engine scales
        edit(s.tables, "indicators", "weight", "10.00", line_code="goal_01")
        edit(s.tables, "indicators", "assessed_score", "10.00", line_code="goal_01")

    con = scored(seed, change)
    output = con.execute("""SELECT score FROM scored_groups WHERE "group" = 'output'""")
    assert output.fetchall() == [(Decimal("30.00"),)]  # 30 × 32.5 / 32.5
    assert [f[3] for f in findings(con, seed)] == [
        "reported_value_unreadable",
        "reported_score_mismatch",  # goal_01 reported 7.50, scores 10.00
    ]


def test_a_line_left_out_reweights_its_group_and_its_reported_score_says_so(seed):
    con = scored(seed)  # as an outcome with effect reweight leaves a line out
    con.execute("UPDATE scored_lines SET final_score = NULL WHERE line_code = 'goal_01'")
    rubric = seed[1][0].rubric
    assert findings(con, seed, aggregate.findings_sql(rubric)) == [
        (
            "BJ-FAO",
            None,
            "info",
            "group_reweighted",
            "group output: 7.5 point(s) of lines left out (goal_01); 22.50 of 22.5 applicable "
            "point(s) scaled to 30 = 30.00",
        ),
        UNREADABLE,
        (
            "BJ-FAO",
            "goal_01",
            "warning",
            "reported_score_mismatch",
            "reported score 7.50 for goal_01 (推进国际交往中心功能建设成效显著提升) but the "
            "rubric gives no score (the line is left out): actual 优 vs target 优 (met or "
            "better): band 80–100% of 7.5 = 6.00–7.50; assessed 7.50 "
            "(rubrics/beijing/2023 · goal_01)",
        ),
    ]


def test_a_capped_total_against_the_reported_one(seed):
    # chongqing's caps on the seed's scores: execution 75.25% caps the total at 89
    capped = RubricLibrary(RUBRICS).get("chongqing", 2023).rubric
    con = scored(seed)
    con.execute("UPDATE scored_rates SET execution_rate = 75.25")
    con.execute("UPDATE scored_departments SET total_score = 89, grade = '良'")
    assert [f for f in findings(con, seed, aggregate.findings_sql(capped)) if not f[1]] == [
        (
            "BJ-FAO",
            None,
            "warning",
            "reported_score_mismatch",
            "reported total 94.83 but the scored total is 89.00 (capped from 94.83), grade 良; "
            "compare the line scores to find the difference",
        ),
        (
            "BJ-FAO",
            None,
            "info",
            "total_capped",
            "total 94.83 capped at 89: execution_rate 75.25% lies in [70%, 80%) (rubric "
            "total_caps)",
        ),
    ]
