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

A run of one jurisdiction of a year (a Dagster partition) keeps and records that
jurisdiction's part: its version row names the jurisdiction. A version of the whole
year (``jurisdiction`` NULL) covers every jurisdiction of it, and the newest version
covering a jurisdiction is its current one (``v_current_versions``).

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
from pipelines.warehouse.write import IN_SCOPE  # the departments being replaced


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

    def same_inputs(self, raw_hash, rubric_hashes, prior_raw_hash) -> bool:
        """Whether a stored version is this one: the same files and last-year files,
        and each of this version's rubrics among its rubrics (a version of the whole
        year names every jurisdiction's rubric; one jurisdiction's, its own)."""
        mine = set(filter(None, self.rubric_hashes.split(",")))
        theirs = set(filter(None, (rubric_hashes or "").split(",")))
        return (raw_hash, prior_raw_hash) == (self.raw_hash, self.prior_raw_hash) and (
            mine <= theirs if mine else not theirs
        )


# A version covers a jurisdiction when it is that jurisdiction's or the whole year's;
# with no jurisdiction asked for, every version of the year covers it.
COVERS = "year = $year AND ($j IS NULL OR jurisdiction IS NULL OR jurisdiction = $j)"


def current_raw_hash(
    con: duckdb.DuckDBPyConnection, year: int, jurisdiction: str | None = None
) -> str | None:
    """The raw_hash of ``year``'s current scores (of its ``jurisdiction``); None: not
    scored, or before history."""
    row = con.execute(
        f"SELECT raw_hash FROM score_versions WHERE {COVERS} "
        "ORDER BY published_at DESC, run_id DESC LIMIT 1",
        {"year": year, "j": jurisdiction},
    ).fetchone()
    return row[0] if row else None


def note_prior_inputs(
    con: duckdb.DuckDBPyConnection, year: int, run_id: str, prior_raw_hash: str | None
):
    """Each department's row of this run says whose last-year rows it compared with:
    the raw_hash of last year's inputs, or NULL when it had none there (the ``prior_*``
    columns, if given, stood in)."""
    if prior_raw_hash is None:
        return
    con.execute(
        """UPDATE department_scores SET prior_year_inputs = ?
           WHERE year = ? AND run_id = ? AND dept_code IN (SELECT dept_code FROM prior_budget)""",
        [prior_raw_hash, year, run_id],
    )


def stale_years(con: duckdb.DuckDBPyConnection) -> list[tuple[int, int, list[str]]]:
    """(year, last year, its jurisdictions) for each year with a jurisdiction scored
    against last-year inputs that have since changed or arrived: each must be scored
    again to be what its inputs say."""
    return [
        (year, year - 1, jurisdictions)
        for year, jurisdictions in con.execute(
            "SELECT year, list(jurisdiction ORDER BY jurisdiction) FROM v_stale_years "
            "GROUP BY year ORDER BY year"
        ).fetchall()
    ]


def keep_current(
    con: duckdb.DuckDBPyConnection, year: int, new: Version, jurisdiction: str | None = None
) -> bool:
    """Before the year's rows (its ``jurisdiction``'s) are deleted: keep the current
    scores in history unless ``new`` is the version they already are. Returns whether
    ``new`` is a new version. Runs inside ``write.year_transaction``."""
    named = {"year": year, "j": jurisdiction}
    latest = con.execute(
        "SELECT run_id, raw_hash, rubric_hashes, prior_raw_hash FROM score_versions "
        f"WHERE {COVERS} ORDER BY published_at DESC, run_id DESC LIMIT 1",
        named,
    ).fetchone()
    if latest is not None and new.same_inputs(*latest[1:]):
        return False
    (current_run,) = con.execute(
        f"SELECT max(run_id) FROM department_scores WHERE year = ? AND {IN_SCOPE}", [year]
    ).fetchone()
    if current_run is None:
        return True  # nothing scored yet: nothing to keep
    if latest is None:  # scores written before history was kept: they become a version
        con.execute(
            """INSERT INTO score_versions BY NAME
               SELECT $year AS year, $run AS run_id,
                      coalesce(max(finished_at), now()) AS published_at, $j AS jurisdiction
               FROM runs WHERE year = $year AND run_id = $run
               ON CONFLICT DO NOTHING""",
            {**named, "run": current_run},
        )
        _keep_departments(con, year, current_run, jurisdiction)
    run = latest[0] if latest is not None else current_run
    con.execute(
        "INSERT INTO line_score_history BY NAME "
        f"SELECT * REPLACE (? AS run_id) FROM line_scores WHERE year = ? AND {IN_SCOPE}",
        [run, year],
    )
    return True


def record(
    con: duckdb.DuckDBPyConnection,
    year: int,
    run_id: str,
    version: Version,
    jurisdiction: str | None = None,
) -> None:
    """After the year's new scores are written: the new version and its departments."""
    con.execute(
        """INSERT INTO score_versions
           (year, run_id, published_at, raw_hash, rubric_hashes, prior_raw_hash, jurisdiction)
           VALUES (?, ?, now(), ?, ?, ?, ?)""",
        [
            year,
            run_id,
            version.raw_hash,
            version.rubric_hashes,
            version.prior_raw_hash,
            jurisdiction,
        ],
    )
    _keep_departments(con, year, run_id, jurisdiction)


def _keep_departments(con, year: int, run_id: str, jurisdiction: str | None) -> None:
    con.execute(
        """INSERT INTO department_score_history BY NAME
           SELECT year, dept_code, $run AS run_id, jurisdiction, total_score, grade, rank,
                  rubric_id, rubric_hash
           FROM v_department_scores WHERE year = $year AND ($j IS NULL OR jurisdiction = $j)""",
        {"run": run_id, "year": year, "j": jurisdiction},
    )
