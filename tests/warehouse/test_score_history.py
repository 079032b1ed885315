"""Nothing published is lost: every version of a year's scores stays queryable.

The seed department, scored from its published extracts, then re-scored after a
"correction" of its 执行数 from 18,214.74 to 17,214.74 万元. By hand: 17214.74 /
19347.12 = 88.98%, × 20 = 17.80 points for budget execution instead of 18.83, so the
total falls by 1.03, from 94.83 to 93.80 (still 优)."""

import shutil
from decimal import Decimal

import duckdb
import pytest

from pipelines.annual import run_year
from tests.conftest import RUBRICS, SEED_RAW


def correct_executed(raw):
    budget = raw / "2023" / "budget.csv"
    text = budget.read_text("utf-8")
    assert '"18,214.74","9,432.24"' in text
    budget.write_text(text.replace('"18,214.74","9,432.24"', '"17,214.74","9,432.24"', 1), "utf-8")


@pytest.fixture
def raw(tmp_path):
    shutil.copytree(SEED_RAW, tmp_path / "raw")
    return tmp_path / "raw"


def history(warehouse):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(
            "SELECT run_id, total_score, grade, rank, current FROM v_score_history "
            "WHERE dept_code = 'BJ-FAO' ORDER BY published_at"
        ).fetchall()


def published(seed_2023, tmp_path):
    """A warehouse whose 2023 was scored from the seed's published extracts, run
    run-2023 (a copy of the one scored once for the session)."""
    warehouse = tmp_path / "w.duckdb"
    shutil.copy(seed_2023, warehouse)
    return warehouse


def test_a_re_scored_year_keeps_its_earlier_version(raw, seed_2023, tmp_path):
    warehouse = published(seed_2023, tmp_path)
    correct_executed(raw)
    run_year(raw, RUBRICS, warehouse, 2023, run_id="corrected")

    assert history(warehouse) == [
        ("run-2023", Decimal("94.83"), "优", 1, False),
        ("corrected", Decimal("93.80"), "优", 1, True),
    ]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        lines = con.execute(
            """SELECT run_id, final_score, explanation FROM v_line_score_history
               WHERE dept_code = 'BJ-FAO' AND line_code = 'budget_execution' ORDER BY run_id"""
        ).fetchall()
        per_run = con.execute(
            "SELECT run_id, count(*), sum(final_score) FROM v_line_score_history GROUP BY 1 "
            "ORDER BY 1"
        ).fetchall()
        hashes = con.execute("SELECT count(DISTINCT raw_hash) FROM score_versions").fetchone()
    assert [(run, score) for run, score, _ in lines] == [
        ("corrected", Decimal("17.80")),
        ("run-2023", Decimal("18.83")),
    ]
    assert lines[1][2].startswith("执行数 18214.74 万元 ÷ 全年预算数 19347.12 万元 = 94.15%")
    # the whole earlier version is there, line by line: its lines add up to its total
    assert per_run == [("corrected", 15, Decimal("93.80")), ("run-2023", 15, Decimal("94.83"))]
    assert hashes == (2,)  # each version names the files it came from


def test_re_running_the_same_inputs_adds_no_version(raw, seed_2023, tmp_path):
    warehouse = published(seed_2023, tmp_path)  # the first run
    for run in ("again", "once_more"):
        run_year(raw, RUBRICS, warehouse, 2023, run_id=run)
    assert history(warehouse) == [("run-2023", Decimal("94.83"), "优", 1, True)]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        runs = con.execute("SELECT DISTINCT run_id FROM v_line_score_history").fetchall()
    assert runs == [("run-2023",)]  # the current lines, under the run that made the version


def test_scores_written_before_history_was_kept_become_a_version_when_replaced(
    raw, seed_2023, tmp_path
):
    warehouse = published(seed_2023, tmp_path)
    with duckdb.connect(str(warehouse)) as con:  # as a warehouse of an earlier release
        con.execute("DELETE FROM score_versions")
        con.execute("DELETE FROM department_score_history")
    correct_executed(raw)
    run_year(raw, RUBRICS, warehouse, 2023, run_id="new")
    assert history(warehouse) == [
        ("run-2023", Decimal("94.83"), "优", 1, False),
        ("new", Decimal("93.80"), "优", 1, True),
    ]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        unknown = con.execute("SELECT run_id FROM score_versions WHERE raw_hash IS NULL").fetchall()
    assert unknown == [("run-2023",)]  # which files it came from was not recorded then
