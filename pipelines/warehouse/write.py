"""Storing one year in the warehouse, or one jurisdiction of it, in one transaction.

``year_transaction`` deletes the year's rows and writes them again between BEGIN and
COMMIT: a run that fails at any point (a bad rubric, a crash, a kill) leaves the
previous state of the year as it was. Inside it, ``store_staged`` writes the staged
rows and ``store_scores`` what scoring returned; the warehouse never scores.

With a ``jurisdiction`` (a Dagster partition: jurisdiction × year) only that
jurisdiction's part of the year is replaced: its departments' rows (as the warehouse
had them and as the new files have them), its findings and refusals, and the year's own
ones (of no department's jurisdiction, NULL), which every run of the year rewrites
from the same files. The other jurisdictions' rows stay as they are.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from pipelines import faults, settings
from pipelines.duck import attach
from pipelines.ingest.bulk import BulkTable
from pipelines.ingest.casts import text_rows, typed_columns
from pipelines.ingest.spec import extract_specs
from pipelines.ingest.stage import StagedYear
from pipelines.rubric.library import RubricInUse
from pipelines.rubric.params import parameters
from pipelines.timing import timed
from pipelines.warehouse.lock import writer_lock
from pipelines.warehouse.schema import create_schema, staged_table

# rows of a department: a jurisdiction's part of the year is its departments' rows
DEPARTMENT_TABLES = (
    "budget_rates",
    "line_scores",
    "group_scores",
    "section_scores",
    "department_scores",
)
# rows that name their jurisdiction (NULL: the year's own)
JURISDICTION_TABLES = ("findings", "rejected_rows")
YEAR_TABLES = (*DEPARTMENT_TABLES, *JURISDICTION_TABLES, "runs")
# the departments of the part of the year being replaced (``_scope``)
IN_SCOPE = "dept_code IN (SELECT dept_code FROM scope_departments)"


# (warehouse table, the scoring engine's temp table, a stable row order). Lines are
# stored in the order scoring made them: sorting 3 million rows of 40 columns cost 5 s
# of a national year, and every reader of line_scores orders what it reads.
SCORED = (
    ("line_scores", "scored_lines", None),
    ("group_scores", "scored_groups", "dept_code, section, group_order"),
    ("section_scores", "scored_sections", "dept_code, section_order"),
    ("department_scores", "scored_departments", "dept_code"),
    ("budget_rates", "scored_rates", "dept_code"),
)


@dataclass(frozen=True)
class YearSummary:
    year: int
    run_id: str
    departments: int
    scored: int
    refused_rows: int
    findings: dict[str, int]  # severity → count


@contextmanager
def connect(path: Path | str, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to a warehouse file; a writer holds the file's writer lock."""
    limits = {"memory_limit": settings.DUCKDB_MEMORY_LIMIT}
    if read_only:
        with duckdb.connect(str(path), read_only=True, config=limits) as con:
            yield con
        return
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    # a new file is written in the format the published snapshot promises (settings)
    config = {**limits, "storage_compatibility_version": settings.STORAGE_VERSION}
    with writer_lock(path), duckdb.connect(str(path), config=config) as con:
        yield con


@contextmanager
def year_transaction(
    con: duckdb.DuckDBPyConnection,
    staged: StagedYear,
    before_delete=None,
    jurisdiction: str | None = None,
) -> Iterator[None]:
    """One transaction for the year (or its ``jurisdiction``): its rows are deleted,
    then written again inside; any failure (a bad rubric, a crash, a kill) leaves the
    previous state as it was. ``before_delete(con)`` runs first, inside (history keeps
    the rows it replaces)."""
    create_schema(con)
    with _staging_attached(con, staged):
        yield from _transaction(con, staged, before_delete, jurisdiction)
    faults.reached("commit")


def _transaction(con, staged: StagedYear, before_delete, jurisdiction: str | None):
    year = staged.year
    con.execute("BEGIN TRANSACTION")
    try:
        _scope(con, staged, jurisdiction)
        if before_delete is not None:
            before_delete(con)
        if jurisdiction is None:
            for table in YEAR_TABLES:
                con.execute(f"DELETE FROM {table} WHERE year = ?", [year])
        else:
            for table in DEPARTMENT_TABLES:
                con.execute(f"DELETE FROM {table} WHERE year = ? AND {IN_SCOPE}", [year])
            for table in JURISDICTION_TABLES:
                con.execute(
                    f"DELETE FROM {table} WHERE year = ? "
                    "AND (jurisdiction = ? OR jurisdiction IS NULL)",
                    [year, jurisdiction],
                )
            con.execute(
                "DELETE FROM runs WHERE year = ? AND jurisdiction = ?", [year, jurisdiction]
            )
        yield
        faults.reached("write_open")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


@contextmanager
def _staging_attached(con, staged: StagedYear) -> Iterator[None]:
    """The year's staging file attached as ``staging`` around the transaction: DuckDB
    detaches no database a transaction has read."""
    paths = {t.path for t in staged.tables.values() if isinstance(t, BulkTable)}
    if not paths:
        yield
        return
    [path] = paths  # one staging file a year
    con.execute(attach(path, "staging", "READ_ONLY"))
    try:
        yield
    finally:
        con.execute("DETACH staging")


def _scope(con, staged: StagedYear, jurisdiction: str | None) -> None:
    """Temp tables ``new_departments`` (each department of the new files and its
    jurisdiction) and ``scope_departments`` (the departments replaced: all of the year,
    or the jurisdiction's as the warehouse has them and as the new files have them)."""
    make = "CREATE OR REPLACE TEMP TABLE new_departments AS SELECT dept_code, jurisdiction FROM "
    with _readable(con, staged.tables["departments"], "_departments") as departments:
        con.execute(make + departments)
    con.execute(
        """CREATE OR REPLACE TEMP TABLE scope_departments AS
           SELECT dept_code FROM new_departments WHERE $j IS NULL OR jurisdiction = $j
           UNION SELECT dept_code FROM staged_departments
           WHERE year = $year AND ($j IS NULL OR jurisdiction = $j)""",
        {"j": jurisdiction, "year": staged.year},
    )


def store_staged(
    con: duckdb.DuckDBPyConnection, staged: StagedYear, jurisdiction: str | None = None
) -> None:
    """The year's staged rows (the ``jurisdiction``'s), typed once (``ingest.casts``), into
    ``staged_<extract>``."""
    with timed("write staged rows"):
        only = "" if jurisdiction is None else f" AND {IN_SCOPE}"
        for name in extract_specs():
            con.execute(f"DELETE FROM {staged_table(name)} WHERE year = ?{only}", [staged.year])
            _insert_staged(con, name, staged.tables[name], staged.year, jurisdiction)


def store_scores(
    con: duckdb.DuckDBPyConnection,
    staged: StagedYear,
    rubrics: list[RubricInUse],
    run_id: str,
    raw_dir: str = "",
    jurisdiction: str | None = None,
) -> YearSummary:
    """What scoring returned (the ``scored_*`` relations), the year's refusals and
    staging findings (the ``jurisdiction``'s and the year's own), and the run's record."""
    with timed("write scores"):
        _insert_results(con, staged, rubrics, run_id, raw_dir, jurisdiction)
        return _summary(con, staged.year, run_id)


def _insert_staged(
    con, name: str, frame: pd.DataFrame | BulkTable, year: int, jurisdiction: str | None
) -> None:
    only = "" if jurisdiction is None else f"WHERE {IN_SCOPE}"
    if not isinstance(frame, BulkTable):  # a bulk table is read from its file, never pandas
        frame = text_rows(frame, name)
    with _readable(con, frame, "_incoming") as source:
        con.execute(
            f"INSERT INTO {staged_table(name)} BY NAME SELECT ? AS year, row_number, "
            f"{typed_columns(name)} FROM {source} {only} ORDER BY row_number",
            [year],
        )


@contextmanager
def _readable(con, rows: pd.DataFrame | BulkTable, name: str) -> Iterator[str]:
    """The name SQL on ``con`` reads ``rows`` by: a bulk table in its staging file,
    attached read-only, or a frame registered as ``name``."""
    if isinstance(rows, BulkTable):  # attached for the transaction (_staging_attached)
        yield f"staging.{rows.table}"
        return
    con.register(name, rows)
    try:
        yield name
    finally:
        con.unregister(name)


def _insert_results(
    con, staged: StagedYear, rubrics, run_id: str, raw_dir: str, jurisdiction: str | None
) -> None:
    year = staged.year
    p = [year, run_id]
    for table, temp, order in SCORED:
        sort = f"ORDER BY {order}" if order else ""
        con.execute(
            f"INSERT INTO {table} BY NAME SELECT ? AS year, *, ? AS run_id FROM {temp} {sort}", p
        )
    # A finding or refusal belongs to its department's jurisdiction in the new files;
    # one of no known department is the year's own (NULL). Scoring's findings are of
    # the jurisdictions scored. A jurisdiction's run keeps its own and the year's.
    named = {"year": year, "run_id": run_id, "j": jurisdiction}
    con.register("_staged_findings", staged.findings)
    con.register("_rejected", staged.rejected.astype({"row_number": "Int64"}))
    try:
        con.execute(
            """INSERT INTO findings BY NAME
            SELECT $year AS year, f.* EXCLUDE (scored),
                   coalesce(d.jurisdiction, CASE WHEN f.scored THEN $j END) AS jurisdiction,
                   $run_id AS run_id
            FROM (
                SELECT dept_code, line_code, severity, code,
                       CAST(CAST(params AS JSON) AS MAP(VARCHAR, VARCHAR)) AS params,
                       FALSE AS scored
                FROM _staged_findings
                UNION ALL SELECT *, TRUE FROM scored_findings) f
            LEFT JOIN new_departments d USING (dept_code)
            WHERE $j IS NULL OR d.jurisdiction IS NULL OR d.jurisdiction = $j
            ORDER BY f.dept_code NULLS FIRST, f.line_code NULLS FIRST, f.code,
                     CAST(f.params AS VARCHAR)""",
            named,
        )
        con.execute(
            """INSERT INTO rejected_rows BY NAME
            SELECT $year AS year, file, row_number, "column", CAST(value AS VARCHAR) AS value,
                   reason_code, CAST(CAST(params AS JSON) AS MAP(VARCHAR, VARCHAR)) AS params,
                   r.dept_code, d.jurisdiction, $run_id AS run_id
            FROM _rejected r LEFT JOIN new_departments d USING (dept_code)
            WHERE $j IS NULL OR d.jurisdiction IS NULL OR d.jurisdiction = $j
            ORDER BY file, row_number NULLS FIRST, "column", reason_code""",
            named,
        )
    finally:
        con.unregister("_staged_findings")
        con.unregister("_rejected")
    record_rubrics(con, rubrics, run_id, year, official=True)
    con.execute(
        """INSERT INTO runs BY NAME SELECT
               $run_id AS run_id, $year AS year, now() AS finished_at, $raw_dir AS raw_dir,
               $sources AS sources, $j AS jurisdiction,
               (SELECT count(*) FROM stg_departments
                WHERE $j IS NULL OR jurisdiction = $j) AS departments,
               (SELECT count(*) FROM scored_departments) AS scored,
               (SELECT count(*) FROM rejected_rows
                WHERE year = $year AND run_id = $run_id) AS refused_rows,
               (SELECT count(*) FROM findings
                WHERE year = $year AND run_id = $run_id) AS findings""",
        {**named, "raw_dir": raw_dir, "sources": json.dumps(staged.sources, ensure_ascii=False)},
    )
    if jurisdiction is not None:  # a whole year's run stays on record while it has scores
        con.execute(
            """DELETE FROM runs WHERE year = $year AND jurisdiction IS NULL
               AND run_id NOT IN (SELECT run_id FROM department_scores WHERE year = $year)""",
            {"year": year},
        )


def record_rubrics(con, rubrics, run_id: str, year: int, official: bool, scenario=None) -> None:
    """Keep each rubric version (content and parameters) once, and note this run's use."""
    for used in rubrics:
        r = used.rubric
        con.execute(
            "INSERT INTO rubric_versions VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            [
                r.id,
                used.hash,
                r.jurisdiction,
                r.year,
                json.dumps(r.model_dump(mode="json"), ensure_ascii=False),
                run_id,
            ],
        )
        # one statement, not one per parameter (executemany took 0.4 s a rubric)
        parameter_rows = pd.DataFrame(
            [[p.path, p.value, p.reference] for p in parameters(r)],
            columns=["path", "value", "reference"],
            dtype=object,
        )
        con.register("_parameter_rows", parameter_rows)
        try:
            con.execute(
                "INSERT INTO rubric_parameters SELECT ?, ?, ?, ?, path, value, reference "
                "FROM _parameter_rows ON CONFLICT DO NOTHING",
                [r.id, used.hash, r.jurisdiction, r.year],
            )
        finally:
            con.unregister("_parameter_rows")
        con.execute(
            "INSERT INTO rubric_usage VALUES (?, ?, ?, ?, now(), ?, ?)",
            [run_id, year, r.id, used.hash, official, scenario],
        )
    # the parameters each rule's sentences show, once per rubric version (scoring's)
    con.execute(
        "INSERT OR REPLACE INTO rubric_rule_constants BY NAME SELECT * FROM scored_rule_constants"
    )
    con.execute(
        "INSERT OR REPLACE INTO rubric_grade_shares BY NAME SELECT * FROM scored_grade_shares"
    )


def _summary(con, year: int, run_id: str) -> YearSummary:
    p = [year, run_id]
    depts, scored, refused = con.execute(
        "SELECT departments, scored, refused_rows FROM runs WHERE year = ? AND run_id = ?", p
    ).fetchone()
    by_severity = dict(
        con.execute(
            "SELECT severity, count(*) FROM findings WHERE year = ? AND run_id = ? "
            "GROUP BY ALL ORDER BY 1",
            p,
        ).fetchall()
    )
    return YearSummary(year, run_id, depts, scored, refused, by_severity)
