"""The number rule and the sentences' missing-input behaviour."""

import pandas as pd
import pytest

from pipelines.reports import narrative
from pipelines.reports.numbers import amount, amount_cell, pct, score, signed


@pytest.mark.parametrize(
    ("value", "text"),
    [(8782.5, "8782.5"), (346.50, "346.5"), (19347.12, "19347.12"), (1000.0, "1000"),
     (0.0, "0"), (2859.625, "2859.63"), (0.005, "0.01"), (-12.30, "-12.3"), (None, "—"),
     (float("nan"), "—")],
)  # fmt: skip
def test_amounts_in_sentences_drop_trailing_zeros(value, text):
    assert amount(value) == text


def test_tables_scores_and_rates_keep_two_places():
    assert amount_cell(8782.5) == "8,782.50"
    assert score(20) == "20.00" and score(18.825) == "18.83"  # half-up, not banker's
    assert pct(94.15) == "94.15%"
    assert signed(1.034) == "+1.03" and signed(-0.5) == "-0.50" and signed(0) == "0.00"


def test_short_name_is_the_abbreviation_only_when_it_is_one():
    assert narrative.short_name("北京市人民政府外事办公室（市外办）") == "市外办"
    assert narrative.short_name("示例部门001（合成数据）") == "示例部门001（合成数据）"
    assert narrative.short_name("某某局") == "某某局"


def test_missing_inputs_leave_their_clause_out():
    budget = pd.Series(
        {"full_year_budget": 100.0, "executed": 90.0, "basic_executed": None,
         "project_executed": float("nan"), "carryover_total": 10.0, "carryover_fiscal": None,
         "carryover_nonfiscal": None, "initial_budget": None, "final_accounts": 90.0}
    )  # fmt: skip
    rates = pd.Series({"execution_rate": 90.0, "carryover_rate": None})
    assert narrative.budget_execution(2023, budget, rates) == (
        "2023 年全年预算数 100 万元，资金支出数 90 万元。预算执行率为 90.00%。"
    )
    assert narrative.carryover(2023, "某局", budget, rates) == (
        "2023 年某局全年预算数为 100 万元，年末收支结转和结余 10 万元。"
    )
    assert narrative.budget_final_difference(2023, budget, rates) == ""
    for text in (
        narrative.budget_execution(2023, None, None),
        narrative.carryover(2023, "x", None, None),
    ):
        assert text == ""


def test_a_project_split_of_non_fiscal_carryover_gives_the_seed_wording():
    budget = pd.Series(
        {"full_year_budget": 19347.12, "carryover_total": 1132.39, "carryover_nonfiscal": 346.5,
         "carryover_nonfiscal_project": 346.5}
    )  # fmt: skip
    text = narrative.carryover(2023, "市外办", budget, None)
    assert text.endswith("其中：非财政拨款结转 346.5 万元均为项目支出结转。")
