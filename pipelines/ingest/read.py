"""Reading one raw file into a frame of text cells, whatever its format or encoding.

Every cell stays text here; numbers are converted once, at staging. The frame's
index is the spreadsheet row number (header = row 1), so a refusal can name it.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pandas as pd

from pipelines.ingest.refusals import refusal
from pipelines.ingest.spec import header_key

SUFFIXES = (".csv", ".xlsx", ".parquet")


class ReadError(Exception):
    """A file that cannot be read at all; ``reason`` (a refusal) says why."""

    def __init__(self, code: str, /, **params: object) -> None:
        self.reason = refusal(code, **params)
        super().__init__(code)

    def __str__(self) -> str:
        return str(self.reason)


def find_extract(year_dir: Path, name: str) -> list[Path]:
    """All files in ``year_dir`` that hold extract ``name`` (``budget.csv``, ``budget.xlsx``…)."""
    if not year_dir.is_dir():
        return []
    return sorted(p for p in year_dir.iterdir() if p.stem == name and p.suffix.lower() in SUFFIXES)


def read_table(path: Path, known_headers: set[str] = frozenset()) -> tuple[pd.DataFrame, str]:
    """Return (frame of str cells indexed by row number, how it was decoded).

    The header is the first row holding at least two ``known_headers`` (compared
    after ``header_key``), else the first non-blank row; rows above it (a title
    merged across the sheet, a unit line) are listed in ``frame.attrs["above_header"]``.
    """
    if path.suffix.lower() == ".xlsx":
        rows, how = _xlsx_rows(path), "xlsx (first sheet)"
    elif path.suffix.lower() == ".parquet":
        rows, how = _parquet_rows(path), "parquet"
    else:
        text, how = _decode(path.read_bytes())
        rows = list(csv.reader(io.StringIO(text, newline="")))
    return _frame(rows, known_headers), how


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8 with BOM"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        # GB18030 is a superset of GBK: what reads as GBK reads the same here.
        return data.decode("gb18030"), "gbk"
    except UnicodeDecodeError as exc:
        raise ReadError("unknown_encoding", byte=exc.start) from None


def _xlsx_rows(path: Path) -> list[list[str]]:
    from openpyxl import load_workbook  # slow to import; only needed for xlsx

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ReadError("unreadable_xlsx", error=f"{type(exc).__name__}: {exc}") from None
    try:
        sheet = wb.worksheets[0]
        return [
            [_cell_text(c.value, getattr(c, "number_format", "")) for c in row]
            for row in sheet.iter_rows()
        ]
    finally:
        wb.close()


def _parquet_rows(path: Path) -> list[list[str]]:
    """The column names are the header row; typed columns become their text."""
    import duckdb

    try:
        with duckdb.connect() as con:
            rel = con.read_parquet(str(path))
            names = rel.columns
            quoted = (c.replace('"', '""') for c in names)
            cells = ", ".join(f'CAST("{n}" AS VARCHAR)' for n in quoted)
            rows = con.execute(f"SELECT {cells} FROM rel").fetchall()
    except duckdb.Error as exc:
        raise ReadError("unreadable_parquet", error=f"{type(exc).__name__}: {exc}") from None
    return [list(names), *([("" if v is None else v) for v in row] for row in rows)]


def _cell_text(value: object, number_format: str = "") -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        # 15 significant digits is what Excel shows: 7944.719999999999 → 7944.72
        text = format(Decimal(f"{value:.15g}"), "f")
        if "%" in (number_format or ""):  # a cell shown as 6.81% stores 0.0681
            return format(Decimal(text).scaleb(2).normalize(), "f") + "%"
        return text
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y-%m-%d")
    return str(value)


def _header_index(rows: list[list[str]], known: set[str]) -> int:
    nonblank = [i for i, row in enumerate(rows[:20]) if any(cell.strip() for cell in row)]
    if not nonblank:
        raise ReadError("empty_file")
    for i in nonblank[:10]:
        if sum(header_key(cell) in known for cell in rows[i]) >= 2:
            return i
    return nonblank[0]


def _frame(rows: list[list[str]], known: set[str]) -> pd.DataFrame:
    top = _header_index(rows, known)
    header = [h.strip() for h in rows[top]]
    while header and not header[-1]:
        header.pop()  # trailing empty header cells come from spreadsheets, not from data
    width = len(header)
    records, numbers = [], []
    for number, row in enumerate(rows[top + 1 :], start=top + 2):
        if not any(cell.strip() for cell in row):
            continue  # a blank row carries nothing to lose
        cells = [*row[:width], *[""] * (width - len(row))]
        extra = [c for c in row[width:] if c.strip()]
        records.append([*cells, " | ".join(extra)])
        numbers.append(number)
    frame = pd.DataFrame(records, columns=[*header, "__overflow__"], index=numbers, dtype=object)
    frame.index.name = "row_number"
    frame.attrs["above_header"] = [
        (n, " ".join(c.strip() for c in row if c.strip()))
        for n, row in enumerate(rows[:top], start=1)
        if any(c.strip() for c in row)
    ]
    return frame
