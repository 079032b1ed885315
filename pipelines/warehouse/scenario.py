"""What-if: a year's staged rows scored under another rubric, into scenario tables.

The official tables are read (staged rows, which departments were scorable) and
never written; the scenario's rows for (scenario, year) are replaced in one
transaction. ``v_scenario_changes`` compares them with the official scores.
"""

from __future__ import annotations

import pandas as pd

from pipelines.messages import Message
from pipelines.rubric.library import RubricInUse
from pipelines.scoring.engine import score_year
from pipelines.scoring.inputs import bind as input_views
from pipelines.warehouse.schema import create_schema
from pipelines.warehouse.write import record_rubrics


class NoOfficialScores(Exception):
    """A scenario compares with the official scores of its year, which must exist.
    (Its message is a ``Message``: ``str()`` renders it in the current language.)"""


def score_scenario(
    con, year: int, used: RubricInUse, scenario: str, run_id: str, changes: str = ""
) -> pd.DataFrame:
    create_schema(con)
    (official,) = con.execute(
        "SELECT count(*) FROM department_scores WHERE year = ?", [year]
    ).fetchone()
    if not official:
        raise NoOfficialScores(Message("cli.whatif.no_official", year=year))
    con.execute("BEGIN TRANSACTION")
    try:
        input_views(con, year)
        # the departments the official run could not score stay unscored here too
        con.execute(
            """INSERT INTO unscorable SELECT dept_code FROM staged_departments WHERE year = ?
               AND dept_code NOT IN (SELECT dept_code FROM department_scores WHERE year = ?)""",
            [year, year],
        )
        score_year(con, year, [used])
        for table in ("scenario_department_scores", "scenario_line_scores"):
            con.execute(f"DELETE FROM {table} WHERE scenario = ? AND year = ?", [scenario, year])
        params = [scenario, year, run_id]
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
            params,
        )
        record_rubrics(con, [used], run_id, year, official=False, scenario=scenario)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return con.execute(
        """SELECT dept_code, dept_name, official_total, scenario_total, total_change,
                  official_grade, scenario_grade, official_rank, scenario_rank, rank_change
           FROM v_scenario_changes WHERE scenario = ? AND year = ?
           ORDER BY abs(total_change) DESC, dept_code""",
        [scenario, year],
    ).df()
