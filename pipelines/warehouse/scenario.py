"""What-if scenarios in the warehouse: a year's scores under another rubric, stored
beside the official ones.

Scoring them is ``pipelines.whatif``'s; here their rows are stored and read. The
official tables are read (whether the year has scores, and which of its departments
were scored) and never written; the scenario's rows for (scenario, year) are replaced
in one transaction. ``v_scenario_changes`` compares them with the official scores.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb
import pandas as pd

from pipelines.messages import Message
from pipelines.rubric.library import RubricInUse
from pipelines.warehouse.schema import create_schema
from pipelines.warehouse.write import record_rubrics

SCENARIO_TABLES = ("scenario_department_scores", "scenario_line_scores")


class NoOfficialScores(Exception):
    """A scenario compares with the official scores of its year, which must exist.
    (Its message is a ``Message``: ``str()`` renders it in the current language.)"""


@contextmanager
def scenario_transaction(
    con: duckdb.DuckDBPyConnection, scenario: str, year: int
) -> Iterator[None]:
    """One transaction for ``scenario``'s rows of ``year``: deleted, then written again
    inside; any failure leaves them as they were. Raises ``NoOfficialScores``, before it
    begins, when the year has no official scores to compare with."""
    create_schema(con)
    (official,) = con.execute(
        "SELECT count(*) FROM department_scores WHERE year = ?", [year]
    ).fetchone()
    if not official:
        raise NoOfficialScores(Message("cli.whatif.no_official", year=year))
    con.execute("BEGIN TRANSACTION")
    try:
        for table in SCENARIO_TABLES:
            con.execute(f"DELETE FROM {table} WHERE scenario = ? AND year = ?", [scenario, year])
        yield
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def unscored_departments(con: duckdb.DuckDBPyConnection, year: int) -> list[str]:
    """The departments staged for ``year`` that its official run did not score."""
    rows = con.execute(
        """SELECT dept_code FROM staged_departments WHERE year = ?
           AND dept_code NOT IN (SELECT dept_code FROM department_scores WHERE year = ?)
           ORDER BY dept_code""",
        [year, year],
    ).fetchall()
    return [code for (code,) in rows]


def store_scenario(
    con: duckdb.DuckDBPyConnection,
    scenario: str,
    year: int,
    used: RubricInUse,
    run_id: str,
    changes: str = "",
) -> None:
    """What scoring returned (``scored_departments``, ``scored_lines``) as ``scenario``'s
    rows of ``year``, and the rubric's use; ``changes``: the rubric's changes, as given."""
    con.execute(
        """INSERT INTO scenario_department_scores BY NAME
           SELECT ? AS scenario, ? AS year, dept_code, uncapped_total, total_score, grade,
                  rubric_id, rubric_hash, ? AS changes, ? AS run_id
           FROM scored_departments ORDER BY dept_code""",
        [scenario, year, changes, run_id],
    )
    # every fact of the line, as line_scores keeps it (the view renders the sentences)
    con.execute(
        """INSERT INTO scenario_line_scores BY NAME
           SELECT ? AS scenario, ? AS year, *, ? AS run_id
           FROM scored_lines ORDER BY dept_code, section_order, group_order, line_order""",
        [scenario, year, run_id],
    )
    record_rubrics(con, [used], run_id, year, official=False, scenario=scenario)


def scenario_changes(con: duckdb.DuckDBPyConnection, scenario: str, year: int) -> pd.DataFrame:
    """Each department's official and scenario total, grade and rank, the largest change
    first (``v_scenario_changes``)."""
    return con.execute(
        """SELECT dept_code, dept_name, official_total, scenario_total, total_change,
                  official_grade, scenario_grade, official_rank, scenario_rank, rank_change
           FROM v_scenario_changes WHERE scenario = ? AND year = ?
           ORDER BY abs(total_change) DESC, dept_code""",
        [scenario, year],
    ).df()
