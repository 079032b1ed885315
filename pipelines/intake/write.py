"""Writing a department's rows into ``<raw>/<year>/self_reported.csv`` (or another
extract: ``indicators``, ``checklist``).

The department's earlier rows are replaced (the new ones take the place of the first
of them); every other row, the rows above the header, the header's own words (Chinese
labels or identifiers), the column order, the encoding (UTF-8, with or without BOM,
GBK) and the line ending stay as the file had them. A column the rows need and the
file lacks (``measure``) is added at the end. The file is replaced in one step, so a
reader never sees half of it.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from pipelines.ingest.read import find_extract
from pipelines.ingest.spec import extract_specs, header_key
from pipelines.intake.errors import IntakeError

EXTRACT = "self_reported"


@dataclass(frozen=True)
class Written:
    path: Path
    rows: int
    replaced: int
    created: bool


@dataclass
class _Table:
    above: list[list[str]]  # rows above the header, as they were
    header: list[str]
    body: list[list[str]]
    encoding: str  # a Python codec
    newline: str


def _decode(path: Path, data: bytes) -> tuple[str, str]:
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        # GB18030 writes every GBK character as GBK does, and any other one too
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise IntakeError("target_encoding", file=path, byte=exc.start) from None


def _read(path: Path, extract: str = EXTRACT) -> _Table:
    data = path.read_bytes()
    text, encoding = _decode(path, data)
    newline = "\r\n" if b"\r\n" in data else "\n"
    rows = list(csv.reader(io.StringIO(text, newline="")))
    known = set(extract_specs()[extract].header_map())
    nonblank = [i for i, r in enumerate(rows[:20]) if any(c.strip() for c in r)]
    top = next(
        (i for i in nonblank[:10] if sum(header_key(c) in known for c in rows[i]) >= 2),
        nonblank[0] if nonblank else None,
    )
    if top is None:  # an empty file: a header is written
        return _Table([], [], [], encoding, newline)
    return _Table(rows[:top], rows[top], rows[top + 1 :], encoding, newline)


def _columns(header: list[str], extract: str = EXTRACT) -> dict[str, int]:
    """identifier → index of its column in the file."""
    by_header = extract_specs()[extract].header_map()
    out: dict[str, int] = {}
    for i, cell in enumerate(header):
        ident = by_header.get(header_key(cell))
        if ident and ident not in out:
            out[ident] = i
    return out


def _new_header(
    ident: str, header: list[str], columns: dict[str, int], extract: str = EXTRACT
) -> str:
    """A new column speaks as the file does: its identifier, or its first Chinese label."""
    if not header or header[columns["dept_code"]].strip() == "dept_code":
        return ident
    labels = extract_specs()[extract].columns[ident].labels
    return labels[0] if labels else ident


def _code(cell: str) -> str:
    return unicodedata.normalize("NFKC", cell).strip()


def replace_department(
    raw_dir: Path,
    year: int,
    dept: str,
    rows: list[dict[str, str]],
    dry_run: bool = False,
    extract: str = EXTRACT,
) -> Written:
    year_dir = Path(raw_dir) / str(year)
    found = find_extract(year_dir, extract)
    others = [p for p in found if p.suffix.lower() != ".csv"]
    if others:
        raise IntakeError("target_not_csv", file=others[0])
    path = found[0] if found else year_dir / f"{extract}.csv"
    table = _read(path, extract) if path.is_file() else _Table([], [], [], "utf-8", "\n")
    created = not path.is_file()
    if not table.header:
        order = ["dept_code", "line_code", "reported_score", "reported_value", "source", "measure"]
        if extract != EXTRACT:
            order = [c for c in extract_specs()[extract].columns if any(r.get(c) for r in rows)]
        table.header = list(order)
    columns = _columns(table.header, extract)
    if "dept_code" not in columns or "line_code" not in columns:
        raise IntakeError("target_header", file=path)
    needed = [k for k in rows[0] if any(r.get(k) for r in rows)] if rows else []
    for ident in needed:
        if ident not in columns:
            columns[ident] = len(table.header)
            table.header.append(_new_header(ident, table.header, columns, extract))
    width = len(table.header)
    at, kept, replaced = None, [], 0
    for cells in table.body:
        dept_cell = cells[columns["dept_code"]] if columns["dept_code"] < len(cells) else ""
        if _code(dept_cell) == dept:
            at = len(kept) if at is None else at
            replaced += 1
            continue
        kept.append(cells + [""] * (width - len(cells)) if any(cells) else cells)
    new = []
    for r in rows:
        cells = [""] * width
        for ident, value in r.items():
            if value:
                cells[columns[ident]] = value
        if "fiscal_year" in columns:
            cells[columns["fiscal_year"]] = str(year)
        new.append(cells)
    at = len(kept) if at is None else at
    body = kept[:at] + new + kept[at:]
    if not dry_run:
        _write(path, table, body)
    return Written(path, len(new), replaced, created)


def _write(path: Path, table: _Table, body: list[list[str]]) -> None:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator=table.newline)
    writer.writerows([*table.above, table.header, *body])
    data = out.getvalue().encode(table.encoding)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        # mkstemp makes the file private; the extract keeps the mode it had (or a usual one)
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
