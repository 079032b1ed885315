"""The bulk lane: a large extract staged in DuckDB, pandera judging only the rows SQL
cannot prove clean.

The Python lane (``one_file``) normalises and validates every cell in pandas; that
costs microseconds per row, minutes for a national year. Here DuckDB reads the file,
computes each row's canonical text and proves most rows clean with set-based SQL
(``bulk_screen``). The other rows (odd spellings, refusals to word, duplicates) go
through the very same ``stage_rows`` as a small file, so every refusal and message is
the Python lane's. Accepted rows are kept in a staging DuckDB file (``Store``) until
the warehouse writer copies them in.
"""

from __future__ import annotations

import shutil
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from pipelines import settings
from pipelines.duck import attach
from pipelines.ingest.bulk_read import load
from pipelines.ingest.bulk_screen import cell_sql
from pipelines.ingest.files import RawFile
from pipelines.ingest.normalise import normalise_column
from pipelines.ingest.one_file import empty_table, header_map, stage_rows, text_cells
from pipelines.ingest.read import ReadError, read_table
from pipelines.ingest.refusals import Collector
from pipelines.ingest.spec import ExtractSpec
from pipelines.timing import timed


@dataclass(frozen=True)
class BulkTable:
    """Accepted rows of one extract, in table ``table`` of the staging file ``path``."""

    path: Path
    table: str
    rows: int

    def __len__(self) -> int:
        return self.rows

    def frame(
        self, store: Store | None = None, con: duckdb.DuckDBPyConnection | None = None
    ) -> pd.DataFrame:
        """The rows as the Python lane returns them (canonical text, index = row number);
        while the year is being staged, read through its ``store``; ``con``: a read-only
        connection to ``path`` already open (reading several tables of one file)."""
        query = "SELECT * FROM {} ORDER BY row_number"
        if store is not None:
            frame = store.con.execute(query.format(f"store.{self.table}")).df()
        elif con is not None:
            frame = con.execute(query.format(self.table)).df()
        else:
            with duckdb.connect(str(self.path), read_only=True) as own:
                frame = own.execute(query.format(self.table)).df()
        return text_cells(frame.set_index("row_number"))


class Store:
    """The staging DuckDB of one year's staging. In memory until a bulk file needs a
    file; files of the same year's earlier stagings are removed once they are old
    (``_remove_old_stagings``)."""

    def __init__(self, year: int) -> None:
        self.year = year
        self.path: Path | None = None
        # An in-memory database spills to .tmp/ of the working folder, where two runs
        # started from one folder would overwrite each other's spill files: its own folder.
        self.spill = Path(tempfile.mkdtemp(prefix=f"jixiao-staging-{year}-"))
        self.con = duckdb.connect(
            config={"memory_limit": settings.DUCKDB_MEMORY_LIMIT, "temp_directory": str(self.spill)}
        )
        # No department has a rubric until the departments file is staged.
        self.con.execute("CREATE TEMP TABLE ctx_rubric (dept_code VARCHAR, rubric_id VARCHAR)")

    def persistent(self) -> duckdb.DuckDBPyConnection:
        if self.path is None:
            folder = settings.STAGING_DIR
            folder.mkdir(parents=True, exist_ok=True)
            _remove_old_stagings(folder, self.year)
            self.path = folder / f"{self.year}-{uuid.uuid4().hex[:12]}.duckdb"
            self.con.execute(attach(self.path, "store"))
        return self.con

    def close(self) -> None:
        self.con.close()
        shutil.rmtree(self.spill, ignore_errors=True)


def _remove_old_stagings(folder: Path, year: int) -> None:
    """The year's earlier staging files, but the newest, once older than
    ``settings.STAGING_KEEP_HOURS``: a younger one may be another run's (two partitions
    of the year staged at once), its rows still to be written."""
    cutoff = time.time() - settings.STAGING_KEEP_HOURS * 3600
    found = []
    for path in folder.glob(f"{year}-*.duckdb"):
        try:
            found.append((path.stat().st_mtime, path))
        except FileNotFoundError:  # removed by another staging meanwhile
            continue
    for modified, path in sorted(found)[:-1]:
        if modified < cutoff:
            path.unlink(missing_ok=True)


def context_tables(store: Store, departments: frozenset[str], rubric_of: dict) -> None:
    """What ``bulk_screen.context_sql`` looks rows up in: known departments, each
    department's rubric, and the rubric's groups, grades and checklist criteria as keys."""
    rubrics = {r.id: r for r in rubric_of.values()}
    keys = {
        "ctx_departments": sorted(departments),
        "ctx_groups": [f"{i}|{g}" for i, r in rubrics.items() for g in r.declared_groups()],
        "ctx_grades": [
            f"{i}|{g}"
            for i, r in rubrics.items()
            if r.indicator_rules
            for g in r.indicator_rules.qualitative.grades
        ],
        "ctx_criteria": [
            f"{i}|{line}|{n}"
            for i, r in rubrics.items()
            for line, count in r.checklist_criteria().items()
            for n in range(1, count + 1)
        ],
    }
    con = store.con
    for table, values in keys.items():
        con.register("_keys", pd.DataFrame({"key": pd.Series(values, dtype=object)}))
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT CAST(key AS VARCHAR) AS key FROM _keys"
        )
        con.unregister("_keys")
    pairs = pd.DataFrame(
        {"dept_code": list(rubric_of), "rubric_id": [r.id for r in rubric_of.values()]},
        dtype=object,
    )
    con.register("_pairs", pairs)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE ctx_rubric AS SELECT CAST(dept_code AS VARCHAR) AS "
        "dept_code, CAST(rubric_id AS VARCHAR) AS rubric_id FROM _pairs"
    )
    con.unregister("_pairs")


def stage_bulk(
    raw: RawFile, spec: ExtractSpec, checks, out: Collector, store: Store, context: str
) -> BulkTable | pd.DataFrame:
    """Stage a bulk-lane file; ``context``: ``bulk_screen.context_sql`` for its extract."""
    renamed = header_map(raw.name, raw.frame, spec, out)
    if renamed is None:
        return empty_table(spec)
    con = store.persistent()
    names = [c for c in raw.frame.columns if c != "__overflow__"]
    try:
        with timed("bulk: load"):
            load(con, raw.bulk, names, "src")
    except duckdb.Error:  # ragged rows, a bad byte…: the Python reader reads and says why
        try:
            frame, _ = read_table(raw.bulk, set(spec.header_map()))
        except ReadError as exc:
            out.refuse(raw.name, None, None, None, exc.reason)
            return empty_table(spec)
        return stage_rows(raw.name, frame, renamed, spec, checks, out)
    with timed("bulk: screen (SQL)"):
        _screen(con, spec, renamed, names, context)
    with timed("bulk: pandera on the rest"):
        suspects = _suspect_rows(con, spec, renamed, names)
        accepted = stage_rows(raw.name, suspects, renamed, spec, checks, out)
    with timed("bulk: keep"):
        return _keep(con, store, spec, accepted)


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _screen(con, spec: ExtractSpec, renamed: dict[str, str], names: list[str], context: str):
    by_ident = {ident: header for header, ident in renamed.items()}
    canon, clean = [], []
    for col in spec.columns.values():
        header = by_ident.get(col.name)
        value, ok = cell_sql(col, None if header is None else f"s.{_q(header)}")
        canon.append(f"{value} AS {_q(col.name)}")
        clean.append(ok)
    # Each cell trimmed once, below the expressions that read it several times.
    trimmed = ", ".join(f"NULLIF(trim({_q(n)}), '') AS {_q(n)}" for n in names)
    # A row of blank cells is no row: the Python reader skips it (its number stays
    # unused). Cells of other Unicode spaces are left for _raw_rows to skip.
    blank = " AND ".join(f"trim(coalesce({_q(n)}, '')) = ''" for n in names)
    # A table, not a view: the duplicate keys and the screen both read it, and a view
    # computed every cell's canonical text twice.
    con.execute(f"""CREATE OR REPLACE TEMP TABLE canon AS
        SELECT s.row_number, {", ".join(canon)}, {" AND ".join(clean)} AS cells_ok
        FROM (SELECT row_number, {trimmed} FROM src WHERE NOT ({blank})) s""")
    # A key written twice is no proof for either row. The keys are grouped once: a
    # window over every row cost 1.8 of the 6.6 s of a national indicators file.
    key = ", ".join(_q(k) for k in spec.key)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE dup_keys AS SELECT {key} FROM canon "
        "GROUP BY ALL HAVING count(*) > 1"
    )
    same_key = " AND ".join(f"d.{_q(k)} IS NOT DISTINCT FROM c.{_q(k)}" for k in spec.key)
    con.execute(f"""CREATE OR REPLACE TEMP TABLE screened AS
        SELECT * EXCLUDE (cells_ok), cells_ok AND coalesce({context}, false)
               AND NOT EXISTS (SELECT 1 FROM dup_keys d WHERE {same_key}) AS clean
        FROM (SELECT c.*, r.rubric_id FROM canon c LEFT JOIN ctx_rubric r USING (dept_code)) c""")


def _suspect_rows(con, spec, renamed, names: list[str]) -> pd.DataFrame:
    """Raw rows not proved clean, plus clean rows whose key one of them may share once
    pandas has normalised it (a duplicate spelt two ways is refused twice, as in the
    Python lane)."""
    frame = _raw_rows(con, names, "SELECT row_number FROM screened WHERE NOT clean")
    if frame.empty:
        return frame
    keys = _keys(frame, spec, renamed)
    con.register("_suspect_keys", keys)
    try:
        cond = " AND ".join(f"s.{_q(k)} = k.{_q(k)}" for k in spec.key)
        more = _raw_rows(
            con,
            names,
            f"SELECT s.row_number FROM screened s JOIN _suspect_keys k ON {cond} WHERE s.clean",
        )
    finally:
        con.unregister("_suspect_keys")
    if more.empty:
        return frame
    moved = ", ".join(map(str, more.index))
    con.execute(f"UPDATE screened SET clean = false WHERE row_number IN ({moved})")
    return pd.concat([frame, more]).sort_index()


def _raw_rows(con, names: list[str], which: str) -> pd.DataFrame:
    cells = ", ".join(_q(n) for n in names)
    frame = con.execute(
        f"SELECT row_number, {cells} FROM src WHERE row_number IN ({which}) ORDER BY row_number"
    ).df()
    frame = frame.set_index("row_number").astype(object)
    frame = frame.where(frame.notna(), "")  # the Python reader's empty cell
    frame = frame[frame.apply(lambda row: any(cell.strip() for cell in row), axis=1)]
    frame["__overflow__"] = ""
    frame.index = frame.index.astype("int64")
    return frame


def _keys(frame: pd.DataFrame, spec: ExtractSpec, renamed: dict[str, str]) -> pd.DataFrame:
    by_ident = {ident: header for header, ident in renamed.items()}
    keys = pd.DataFrame(
        {k: normalise_column(frame[by_ident[k]], spec.columns[k]) for k in spec.key}
    )
    return keys.dropna().drop_duplicates().astype(str)


def _keep(con, store: Store, spec, accepted: pd.DataFrame) -> BulkTable:
    cols = ", ".join(_q(c) for c in spec.columns)
    table = f"staged_{spec.name}"
    data = accepted.reset_index()
    data["row_number"] = data["row_number"].astype("int64")
    data = data.astype({c: object for c in spec.columns})
    con.register("_accepted", data[["row_number", *spec.columns]])
    try:
        con.execute(f"""CREATE OR REPLACE TABLE store.{table} AS
            SELECT row_number, {cols} FROM screened WHERE clean
            UNION ALL
            SELECT row_number, {", ".join(f"CAST({_q(c)} AS VARCHAR)" for c in spec.columns)}
            FROM _accepted""")
    finally:
        con.unregister("_accepted")
    for temp in ("src", "canon", "screened", "dup_keys"):
        con.execute(f"DROP TABLE IF EXISTS {temp}")
    [(rows,)] = con.execute(f"SELECT count(*) FROM store.{table}").fetchall()
    return BulkTable(store.path, table, rows)
