"""Score history: every version of a year's scores stays queryable.

A version is what a year's scores were computed from: the sha256 of each raw file and
the hash of each rubric. A run whose version differs from the year's current one
keeps the current scores before replacing them: the departments' totals, grades and
ranks (``department_score_history``), the full lines (``line_score_history``) and
the version itself (``score_versions``: its first run, when, from which inputs). A
re-run on the same inputs and rubrics adds nothing. All of it happens inside the
year's transaction, so a failed run leaves history as it was too.

Views: ``v_score_history`` (a row per version × department) and
``v_line_score_history`` (every version's lines, sentences rendered, by ``run_id``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import duckdb

from pipelines.ingest.stage import StagedYear
from pipelines.rubric.library import RubricInUse


@dataclass(frozen=True)
class Version:
    raw_hash: str  # sha256 over "extract=sha256 of its file" lines, sorted
    rubric_hashes: str  # "rubric_id=hash" of every rubric used, sorted, comma-joined

    @classmethod
    def of(cls, staged: StagedYear, rubrics: list[RubricInUse]) -> Version:
        lines = "\n".join(f"{k}={v}" for k, v in sorted(staged.inputs.items()))
        used = ",".join(sorted(f"{u.rubric.id}={u.hash}" for u in rubrics))
        return cls(hashlib.sha256(lines.encode()).hexdigest(), used)


def keep_current(con: duckdb.DuckDBPyConnection, year: int, new: Version) -> bool:
    """Before the year's rows are deleted: keep the current scores in history unless
    ``new`` is the version they already are. Returns whether ``new`` is a new version."""
    latest = con.execute(
        "SELECT run_id, raw_hash, rubric_hashes FROM score_versions WHERE year = ? "
        "ORDER BY published_at DESC, run_id DESC LIMIT 1",
        [year],
    ).fetchone()
    if latest is not None and (latest[1], latest[2]) == (new.raw_hash, new.rubric_hashes):
        return False
    (current_run,) = con.execute(
        "SELECT max(run_id) FROM department_scores WHERE year = ?", [year]
    ).fetchone()
    if current_run is None:
        return True  # nothing scored yet: nothing to keep
    if latest is None:  # scores written before history was kept: they become a version
        con.execute(
            """INSERT INTO score_versions
               SELECT ?, ?, coalesce(max(finished_at), now()), NULL, NULL FROM runs
               WHERE year = ? AND run_id = ?""",
            [year, current_run, year, current_run],
        )
        _keep_departments(con, year, current_run)
    run = latest[0] if latest is not None else current_run
    con.execute(
        "INSERT INTO line_score_history BY NAME "
        "SELECT * REPLACE (? AS run_id) FROM line_scores WHERE year = ?",
        [run, year],
    )
    return True


def record(con: duckdb.DuckDBPyConnection, year: int, run_id: str, version: Version) -> None:
    """After the year's new scores are written: the new version and its departments."""
    con.execute(
        "INSERT INTO score_versions VALUES (?, ?, now(), ?, ?)",
        [year, run_id, version.raw_hash, version.rubric_hashes],
    )
    _keep_departments(con, year, run_id)


def _keep_departments(con, year: int, run_id: str) -> None:
    con.execute(
        """INSERT INTO department_score_history BY NAME
           SELECT year, dept_code, ? AS run_id, jurisdiction, total_score, grade, rank,
                  rubric_id, rubric_hash
           FROM v_department_scores WHERE year = ?""",
        [run_id, year],
    )
