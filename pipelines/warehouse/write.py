"""Storing one year in the warehouse, in one transaction.

``year_transaction`` deletes the year's rows and writes them again between BEGIN and
COMMIT: a run that fails at any point (a bad rubric, a crash, a kill) leaves the
previous state of the year as it was. Inside it, ``store_staged`` writes the staged
rows and ``store_scores`` what scoring returned; the warehouse never scores.
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
from pipelines.ingest.bulk import BulkTable
from pipelines.ingest.spec import extract_specs
from pipelines.ingest.stage import StagedYear
from pipelines.rubric.library import RubricInUse
from pipelines.rubric.params import parameters
from pipelines.timing import timed
from pipelines.warehouse.lock import writer_lock
from pipelines.warehouse.schema import SQL_TYPES, create_schema, staged_table

YEAR_TABLES = (
    "budget_rates",
    "line_scores",
    "group_scores",
    "section_scores",
    "department_scores",
    "findings",
    "rejected_rows",
    "runs",
)


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
    con: duckdb.DuckDBPyConnection, year: int, before_delete=None
) -> Iterator[None]:
    """One transaction for the year: its rows are deleted, then written again inside;
    any failure (a bad rubric, a crash, a kill) leaves the previous state as it was.
    ``before_delete(con)`` runs first, inside (history keeps the rows it replaces)."""
    create_schema(con)
    con.execute("BEGIN TRANSACTION")
    try:
        if before_delete is not None:
            before_delete(con)
        for table in YEAR_TABLES:
            con.execute(f"DELETE FROM {table} WHERE year = ?", [year])
        yield
        faults.reached("write_open")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    faults.reached("commit")


def store_staged(con: duckdb.DuckDBPyConnection, staged: StagedYear) -> None:
    """The year's staged rows, typed once, into ``staged_<extract>``."""
    with timed("write staged rows"):
        for name in extract_specs():
            con.execute(f"DELETE FROM {staged_table(name)} WHERE year = ?", [staged.year])
            _insert_staged(con, name, staged.tables[name], staged.year)


def store_scores(
    con: duckdb.DuckDBPyConnection,
    staged: StagedYear,
    rubrics: list[RubricInUse],
    run_id: str,
    raw_dir: str = "",
) -> YearSummary:
    """What scoring returned (the ``scored_*`` relations), the year's refusals and
    staging findings, and the run's record."""
    with timed("write scores"):
        _insert_results(con, staged, rubrics, run_id, raw_dir)
        return _summary(con, staged.year, run_id)


def _insert_staged(con, name: str, frame: pd.DataFrame | BulkTable, year: int) -> None:
    spec = extract_specs()[name]
    casts = ", ".join(
        f'CAST("{c.name}" AS {SQL_TYPES.get(c.type, "VARCHAR")}) AS "{c.name}"'
        for c in spec.columns.values()
    )
    if isinstance(frame, BulkTable):  # straight from the staging file, never through pandas
        con.execute("ATTACH ? AS staging (READ_ONLY)", [str(frame.path)])
        try:
            con.execute(
                f"INSERT INTO {staged_table(name)} BY NAME SELECT ? AS year, row_number, "
                f"{casts} FROM staging.{frame.table} ORDER BY row_number",
                [year],
            )
        finally:
            con.execute("DETACH staging")
        return
    data = frame.reset_index()  # the row number travels with the row
    data["row_number"] = data["row_number"].astype("int64")
    for col in spec.columns:
        data[col] = data[col].astype(object).where(data[col].notna(), None)
    con.register("_incoming", data[["row_number", *spec.columns]].astype({"row_number": "int64"}))
    try:
        con.execute(
            f"INSERT INTO {staged_table(name)} BY NAME "
            f"SELECT ? AS year, row_number, {casts} FROM _incoming ORDER BY row_number",
            [year],
        )
    finally:
        con.unregister("_incoming")


def _insert_results(con, staged: StagedYear, rubrics, run_id: str, raw_dir: str) -> None:
    year = staged.year
    p = [year, run_id]
    for table, temp, order in SCORED:
        sort = f"ORDER BY {order}" if order else ""
        con.execute(
            f"INSERT INTO {table} BY NAME SELECT ? AS year, *, ? AS run_id FROM {temp} {sort}", p
        )
    con.register("_staged_findings", staged.findings)
    con.register("_rejected", staged.rejected.astype({"row_number": "Int64"}))
    try:
        con.execute(
            """INSERT INTO findings BY NAME
            SELECT ? AS year, *, ? AS run_id FROM (
                SELECT dept_code, line_code, severity, code,
                       CAST(CAST(params AS JSON) AS MAP(VARCHAR, VARCHAR)) AS params
                FROM _staged_findings
                UNION ALL SELECT * FROM scored_findings)
            ORDER BY dept_code NULLS FIRST, line_code NULLS FIRST, code,
                     CAST(params AS VARCHAR)""",
            p,
        )
        con.execute(
            """INSERT INTO rejected_rows BY NAME
            SELECT ? AS year, file, row_number, "column", CAST(value AS VARCHAR) AS value,
                   reason_code, CAST(CAST(params AS JSON) AS MAP(VARCHAR, VARCHAR)) AS params,
                   ? AS run_id
            FROM _rejected ORDER BY file, row_number NULLS FIRST, "column", reason_code""",
            p,
        )
    finally:
        con.unregister("_staged_findings")
        con.unregister("_rejected")
    record_rubrics(con, rubrics, run_id, year, official=True)
    con.execute(
        """INSERT INTO runs SELECT ?, ?, now(), ?, ?, (SELECT count(*) FROM stg_departments),
               (SELECT count(*) FROM scored_departments),
               (SELECT count(*) FROM rejected_rows WHERE year = ?),
               (SELECT count(*) FROM findings WHERE year = ?)""",
        [run_id, year, raw_dir, json.dumps(staged.sources, ensure_ascii=False), year, year],
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
        parameter_rows = pd.DataFrame(  # noqa: F841  (read by name in the SQL)
            [[p.path, p.value, p.reference] for p in parameters(r)],
            columns=["path", "value", "reference"],
            dtype=object,
        )
        con.execute(
            "INSERT INTO rubric_parameters SELECT ?, ?, ?, ?, path, value, reference "
            "FROM parameter_rows ON CONFLICT DO NOTHING",
            [r.id, used.hash, r.jurisdiction, r.year],
        )
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
    depts, scored, refused = con.execute(
        "SELECT departments, scored, refused_rows FROM runs WHERE year = ?", [year]
    ).fetchone()
    by_severity = dict(
        con.execute(
            "SELECT severity, count(*) FROM findings WHERE year = ? GROUP BY ALL ORDER BY 1", [year]
        ).fetchall()
    )
    return YearSummary(year, run_id, depts, scored, refused, by_severity)
