"""The optional ``measure`` column of ``self_reported``: it names one of the budget
extract's amount columns, staging refuses anything else, and a file without it is
staged as before."""

from __future__ import annotations

from pipelines.ingest.refusals import reason_text
from pipelines.ingest.spec import extract_specs
from tests.ingest.support import Extracts


def test_measure_names_exactly_the_budget_extracts_amount_columns():
    budget = extract_specs()["budget"].columns.values()
    measure = extract_specs()["self_reported"].columns["measure"]
    assert measure.type == "choice" and not measure.required
    assert sorted(measure.choices) == sorted(c.name for c in budget if c.type == "amount")


def test_staging_refuses_a_measure_that_is_not_a_budget_amount(tmp_path):
    extracts = Extracts(tmp_path)
    rows = extracts.rows("self_reported.csv")
    extracts.write_rows(
        "self_reported.csv",
        [
            [*rows[0], "measure"],
            *[[*r, ""] for r in rows[1:]],
            ["BJ-FAO", "executed", "18214.74", "18214.74万元", "report", "executed"],
            ["BJ-FAO", "prior_carryover_rate", "6.81", "6.81%", "report", "prior_carryover_rate"],
        ],
    )
    staged = extracts.stage()
    refused = staged.rejected
    assert list(refused["column"]) == ["measure"]
    assert list(refused["row_number"]) == [len(rows) + 2]
    reason = reason_text(refused["reason_code"].iloc[0], refused["params"].iloc[0], "en")
    assert reason.startswith("expected one of: full_year_budget, basic_budget")
    measures = staged.tables["self_reported"].set_index("line_code")["measure"]
    assert measures["executed"] == "executed"
    assert measures.drop("executed").isna().all()


def test_a_file_without_measure_stages_as_before(tmp_path):
    staged = Extracts(tmp_path).stage()
    assert staged.rejected.empty
    assert staged.tables["self_reported"]["measure"].isna().all()
