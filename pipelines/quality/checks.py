"""Checks on a scored year, each declared once: a name, the SQL that returns the rows
breaking it, and the catalog key of the sentence that says what it asserts.

The Dagster asset check ``scores_consistent`` (pipelines.defs.checks) runs
``SCORES_CONSISTENT``; the Great Expectations suites (pipelines.quality.expectations)
read each rule as a boolean column named after it. The engine's aggregation finding
(pipelines.quality.consistency) checks every node while scoring, in its own form.

A check's SQL reads the warehouse tables of the year ``$year`` and returns the
offending rows as ``COLUMNS``: the department, the line (NULL for a department-level
rule), the weight, the score found and the score expected (NULL where a range is
the rule). No rows: the check passes.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

COLUMNS = ["dept_code", "line_code", "weight", "score", "expected"]


@dataclass(frozen=True)
class Check:
    name: str  # an identifier: the rule column of an offending row
    sql: str  # the offending rows of year $year, as COLUMNS
    about: str  # catalog key: what the check asserts, as a sentence


LINE_SCORE_IN_RANGE = Check(
    "line_score_in_range",
    """SELECT dept_code, line_code, weight, final_score AS score, NULL AS expected
       FROM line_scores WHERE year = $year AND (final_score < 0 OR final_score > weight)""",
    "dagster.rule.line_score_in_range",
)

# The total before any cap (uncapped_total; older warehouse files lack it: the total)
# is the plain sum of the section scores, as consistency.aggregation_sql asserts while
# scoring. A capped total is below that sum by design.
TOTAL_IS_SUM_OF_SECTIONS = Check(
    "total_is_sum_of_sections",
    """SELECT d.dept_code, NULL AS line_code, NULL AS weight,
              coalesce(d.uncapped_total, d.total_score) AS score, x.s AS expected
       FROM department_scores d
       JOIN (SELECT dept_code, sum(score) AS s FROM section_scores WHERE year = $year
             GROUP BY ALL) x USING (dept_code)
       WHERE d.year = $year AND coalesce(d.uncapped_total, d.total_score) <> x.s""",
    "dagster.rule.total_is_sum_of_sections",
)

# "Every line score lies between 0 and its weight, and sums agree."
SCORES_CONSISTENT = (LINE_SCORE_IN_RANGE, TOTAL_IS_SUM_OF_SECTIONS)


def offending_rows(
    con: duckdb.DuckDBPyConnection,
    year: int,
    checks: tuple[Check, ...] = SCORES_CONSISTENT,
    jurisdiction: str | None = None,
) -> pd.DataFrame:
    """The rows of ``year`` (of its ``jurisdiction``'s departments, when given) that break
    ``checks``: ``COLUMNS`` plus ``check`` (its name)."""
    mine, params = "{}", {"year": year}
    if jurisdiction is not None:
        mine = """SELECT * FROM ({}) WHERE dept_code IN (SELECT dept_code
            FROM staged_departments WHERE year = $year AND jurisdiction = $j)"""
        params["j"] = jurisdiction
    frames = [con.execute(mine.format(c.sql), params).df().assign(check=c.name) for c in checks]
    found = [f for f in frames if not f.empty]
    if not found:
        return pd.DataFrame(columns=[*COLUMNS, "check"])
    return pd.concat(found, ignore_index=True)[[*COLUMNS, "check"]]
