"""Which files DuckDB reads itself (the bulk lane), and reading them into a table.

A file takes the bulk lane only when DuckDB numbers and splits its rows exactly as
``read.read_table`` would: Parquet, or a CSV of at least ``settings.BULK_BYTES`` in
UTF-8 whose first line is its header (distinct, non-empty names) and which has no
empty line (DuckDB skips those, which would shift every later row number). Anything
else, or a file DuckDB then fails to read, is read by Python as before.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from pathlib import Path

import duckdb
import pandas as pd

from pipelines import settings

_EMPTY_LINE = re.compile(rb"\n\r?\n")


def bulk_header(path: Path) -> tuple[pd.DataFrame, str] | None:
    """(an empty frame with the file's header, how it is read) for a bulk-lane file."""
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        try:
            with duckdb.connect() as con:
                names = con.execute(
                    "SELECT name FROM parquet_schema(?) WHERE num_children IS NULL "
                    "OR num_children = 0",
                    [str(path)],
                ).fetchall()
        except duckdb.Error:
            return None  # the Python reader says what is wrong with it
        return _header([n for (n,) in names]), "parquet"
    if suffix != ".csv" or path.stat().st_size < max(settings.BULK_BYTES, 1):
        return None
    data = path.read_bytes()
    if _EMPTY_LINE.search(data):
        return None
    bom = data.startswith(codecs.BOM_UTF8)
    first = data[: data.find(b"\n") if b"\n" in data else len(data)]
    try:
        text = first.decode("utf-8-sig").rstrip("\r")
    except UnicodeDecodeError:
        return None
    header = next(csv.reader(io.StringIO(text)), [])
    names = [h.strip() for h in header]
    if not names or "" in names or len(set(names)) != len(names):
        return None
    return _header(names), "utf-8 with BOM" if bom else "utf-8"


def _header(names: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame(columns=[*names, "__overflow__"], dtype=object)
    frame.index.name = "row_number"
    frame.attrs["above_header"] = []
    return frame


def load(con: duckdb.DuckDBPyConnection, path: Path, names: list[str], table: str) -> None:
    """``table``: row_number (the spreadsheet row: header = 1) and every column as text."""
    quoted = [f'"{n.replace(chr(34), chr(34) * 2)}"' for n in names]
    cells = ", ".join(f"CAST({q} AS VARCHAR) AS {q}" for q in quoted)
    if path.suffix.lower() == ".parquet":
        con.execute(
            f"""CREATE OR REPLACE TEMP TABLE {table} AS
                SELECT file_row_number + 2 AS row_number, {cells}
                FROM read_parquet(?, file_row_number = true)""",
            [str(path)],
        )
        return
    columns = (
        "{" + ", ".join(f"'{n.replace(chr(39), chr(39) * 2)}': 'VARCHAR'" for n in names) + "}"
    )
    # Insertion order is file order, so rowid numbers the records as csv.reader does.
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE {table}_read AS SELECT * FROM read_csv(?,
                header = true, auto_detect = false, columns = {columns}, delim = ',',
                quote = '"', escape = '"', encoding = 'utf-8', strict_mode = true,
                null_padding = true)""",
        [str(path)],
    )
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {table} AS "
        f"SELECT rowid + 2 AS row_number, {cells} FROM {table}_read"
    )
    con.execute(f"DROP TABLE {table}_read")
