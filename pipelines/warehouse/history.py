"""Score history: every version of a year's scores stays queryable.

A version is what a year's scores were computed from: the sha256 of each raw file, the
hash of each rubric, and the raw files of last year whose staged rows the carryover
and prior-rate lines compared with (``prior_raw_hash``; NULL when the warehouse had no
last year). A run whose version differs from the year's current one
keeps the current scores before replacing them: the departments' totals, grades and
ranks (``department_score_history``), the full lines (``line_score_history``) and
the version itself (``score_versions``: its first run, when, from which inputs). A
re-run on the same inputs and rubrics adds nothing. All of it happens inside the
year's transaction, so a failed run leaves history as it was too.

Views: ``v_score_history`` (a row per version × department) and
``v_line_score_history`` (every version's lines, sentences rendered, by ``run_id``).

Order of loading: year N reads year N − 1 from the warehouse. When N − 1 is loaded
or changes after N was scored, N is stale (``v_stale_years``, ``stale_years``) until
it is scored again; ``jixiao run`` does that in the same command.
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
    prior_raw_hash: str | None = None  # last year's raw_hash, when the warehouse had it

    @classmethod
    def of(
        cls, staged: StagedYear, rubrics: list[RubricInUse], prior_raw_hash: str | None = None
    ) -> Version:
        lines = "\n".join(f"{k}={v}" for k, v in sorted(staged.inputs.items()))
        used = ",".join(sorted(f"{u.rubric.id}={u.hash}" for u in rubrics))
        return cls(hashlib.sha256(lines.encode()).hexdigest(), used, prior_raw_hash)

    def key(self) -> tuple:
        return self.raw_hash, self.rubric_hashes, self.prior_raw_hash


def current_raw_hash(con: duckdb.DuckDBPyConnection, year: int) -> str | None:
    """The raw_hash of ``year``'s current scores (None: not scored, or before history)."""
    row = con.execute(
        "SELECT raw_hash FROM score_versions WHERE year = ? "
        "ORDER BY published_at DESC, run_id DESC LIMIT 1",
        [year],
    ).fetchone()
    return row[0] if row else None


def note_prior_inputs(con: duckdb.DuckDBPyConnection, year: int, prior_raw_hash: str | None):
    """Each department's row says whose last-year rows it compared with: the raw_hash of
    last year's inputs, or NULL when it had none there (the ``prior_*`` columns, if
    given, stood in)."""
    if prior_raw_hash is None:
        return
    con.execute(
        """UPDATE department_scores SET prior_year_inputs = ?
           WHERE year = ? AND dept_code IN (SELECT dept_code FROM prior_budget)""",
        [prior_raw_hash, year],
    )


def stale_years(con: duckdb.DuckDBPyConnection) -> list[tuple[int, int]]:
    """(year, last year) for each year scored against last-year inputs that have since
    changed or arrived: it must be scored again to be what its inputs say."""
    return [
        tuple(r)
        for r in con.execute("SELECT year, year - 1 FROM v_stale_years ORDER BY year").fetchall()
    ]


def keep_current(con: duckdb.DuckDBPyConnection, year: int, new: Version) -> bool:
    """Before the year's rows are deleted: keep the current scores in history unless
    ``new`` is the version they already are. Returns whether ``new`` is a new version."""
    latest = con.execute(
        "SELECT run_id, raw_hash, rubric_hashes, prior_raw_hash FROM score_versions "
        "WHERE year = ? ORDER BY published_at DESC, run_id DESC LIMIT 1",
        [year],
    ).fetchone()
    if latest is not None and tuple(latest[1:]) == new.key():
        return False
    (current_run,) = con.execute(
        "SELECT max(run_id) FROM department_scores WHERE year = ?", [year]
    ).fetchone()
    if current_run is None:
        return True  # nothing scored yet: nothing to keep
    if latest is None:  # scores written before history was kept: they become a version
        con.execute(
            """INSERT INTO score_versions
               SELECT ?, ?, coalesce(max(finished_at), now()), NULL, NULL, NULL FROM runs
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
        "INSERT INTO score_versions VALUES (?, ?, now(), ?, ?, ?)",
        [year, run_id, version.raw_hash, version.rubric_hashes, version.prior_raw_hash],
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
