"""One transaction per year: re-runs are identical, failures leave the last good state."""

import copy
import shutil
from decimal import Decimal

import duckdb
import pytest

from pipelines.annual import replace_year, rubrics_in_use, run_year, stage
from pipelines.ingest.stage import read_year
from pipelines.rubric.library import RubricLibrary
from pipelines.warehouse.write import connect
from tests.conftest import RUBRICS, SEED_RAW

SCORE_TABLES = [
    "line_scores",
    "group_scores",
    "section_scores",
    "department_scores",
    "findings",
    "rejected_rows",
    "budget_rates",
]


def snapshot(path, exclude=("run_id",)) -> dict[str, list[tuple]]:
    with duckdb.connect(str(path), read_only=True) as con:
        out = {}
        for table in SCORE_TABLES:
            cols = [
                c
                for (c,) in con.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                    "ORDER BY ordinal_position",
                    [table],
                ).fetchall()
                if c not in exclude
            ]
            quoted = ", ".join(f'"{c}"' for c in cols)
            out[table] = con.execute(f"SELECT {quoted} FROM {table} ORDER BY ALL").fetchall()
        return out


def test_re_running_a_year_gives_identical_score_tables(seed_2023, tmp_path):
    before = snapshot(seed_2023)  # the year scored once, in a warehouse of its own
    shutil.copy(seed_2023, tmp_path / "a.duckdb")
    run_year(SEED_RAW, RUBRICS, tmp_path / "a.duckdb", 2023, run_id="second")
    assert run_ids(tmp_path / "a.duckdb") == {"second"}  # every row was written again
    assert snapshot(tmp_path / "a.duckdb") == before
    assert before["line_scores"] and before["department_scores"]


def run_ids(path) -> set[str]:
    with duckdb.connect(str(path), read_only=True) as con:
        return {r for (r,) in con.execute("SELECT DISTINCT run_id FROM line_scores").fetchall()}


def test_a_failure_inside_the_transaction_leaves_the_previous_year(seed_2023, tmp_path):
    path = tmp_path / "w.duckdb"
    shutil.copy(seed_2023, path)  # the year's last good state
    before = snapshot(path, exclude=())
    library = RubricLibrary(RUBRICS)
    staged = copy.deepcopy(stage(read_year(SEED_RAW, 2023), library))
    # a staged table that lost a column fails after the year's rows were deleted
    staged.tables["checklist"] = staged.tables["checklist"].drop(columns="passed")
    with connect(path) as con, pytest.raises(KeyError):
        replace_year(con, staged, rubrics_in_use(staged, library), "broken")
    assert snapshot(path, exclude=()) == before


def test_scores_reach_analysts_as_two_place_decimals(seed_2023):
    with duckdb.connect(str(seed_2023), read_only=True) as con:
        score_columns = [
            "total_score",
            "score",
            "final_score",
            "computed_score",
            "assessed_score",
            "weight",
        ]
        types = dict(
            con.execute(
                "SELECT table_name || '.' || column_name, data_type FROM information_schema.columns"
                " WHERE list_contains(?, column_name) AND table_name LIKE 'v_%'",
                [score_columns],
            ).fetchall()
        )
        (total,) = con.execute("SELECT total_score FROM v_department_scores").fetchone()
    assert types and set(types.values()) == {"DECIMAL(18,2)"}
    assert total == Decimal("94.83")


def test_contract_views_have_their_columns(seed_2023):
    contract = {
        "v_department_scores": "year, dept_code, dept_name, jurisdiction, rubric_id, rubric_hash, "
        "run_id, total_score, grade, rank, rank_out_of",
        "v_section_scores": "year, dept_code, section, weight, score",
        "v_line_scores": "year, dept_code, line_code, section, group, name, weight, "
        "computed_score, assessed_score, final_score, explanation",
        "v_findings": "year, dept_code, line_code, severity, code, message",
        "v_rejected_rows": "year, file, row_number, column, value, reason",
    }
    with duckdb.connect(str(seed_2023), read_only=True) as con:
        for view, columns in contract.items():
            have = {
                c
                for (c,) in con.execute(
                    "SELECT column_name FROM information_schema.columns WHERE table_name = ?",
                    [view],
                ).fetchall()
            }
            assert set(columns.split(", ")) <= have, view
