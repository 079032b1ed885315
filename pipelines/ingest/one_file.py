"""Staging one extract file: headers, normalisation, pandera validation, refusals."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from pipelines.ingest.files import RawFile
from pipelines.ingest.normalise import normalise_column
from pipelines.ingest.refusals import Collector, refusal
from pipelines.ingest.schemas import build_schema
from pipelines.ingest.spec import ColumnSpec, ExtractSpec, header_key


def empty_table(spec: ExtractSpec) -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in spec.columns})
    frame.index.name = "row_number"
    return frame


def stage_file(raw: RawFile | None, spec: ExtractSpec, checks, out: Collector) -> pd.DataFrame:
    if raw is None:
        return empty_table(spec)
    if raw.error:
        out.refuse(raw.name, None, None, None, raw.error)
        return empty_table(spec)
    renamed = header_map(raw.name, raw.frame, spec, out)
    if renamed is None:
        return empty_table(spec)
    return stage_rows(raw.name, raw.frame, renamed, spec, checks, out)


def header_map(
    file: str, frame: pd.DataFrame, spec: ExtractSpec, out: Collector
) -> dict[str, str] | None:
    """File header → column identifier; None when the file is refused whole (a required
    column missing, two headers for one column). Only the frame's header and
    ``attrs`` are read: what a file says about itself is said once, here."""
    for row, text in frame.attrs.get("above_header", []):
        out.finding(None, "info", "row_above_header", dict(file=file, row=row, text=text))
    known = spec.header_map()
    renamed: dict[str, str] = {}
    for header in frame.columns:
        if header == "__overflow__":
            continue
        key = header_key(header)
        ident = known.get(key) or known.get(key.split("(")[0].strip())  # "全年预算数(万元)"
        if ident is None:
            out.finding(None, "info", "column_ignored", dict(file=file, header=header))
            continue
        if ident in renamed.values():
            out.refuse(file, 1, ident, header, refusal("duplicate_header", column=ident))
            return None
        renamed[header] = ident
    missing = [
        c.name for c in spec.columns.values() if c.required and c.name not in renamed.values()
    ]
    for col in missing:
        headers = " / ".join((col, *spec.columns[col].labels))
        out.refuse(file, 1, col, None, refusal("missing_column", column=col, headers=headers))
    return None if missing else renamed


def stage_rows(
    file: str, frame: pd.DataFrame, renamed: dict[str, str], spec: ExtractSpec, checks, out
) -> pd.DataFrame:
    """Rows of text cells (index = row number, a ``__overflow__`` column) → the accepted
    rows in canonical text; every refused row goes to ``out`` with its reason."""
    overflow = frame["__overflow__"]
    dept_header = next((h for h, ident in renamed.items() if ident == "dept_code"), None)
    for row, extra in overflow[overflow != ""].items():
        dept = _code(frame.at[row, dept_header]) if dept_header else None
        out.refuse(file, row, None, extra, refusal("extra_cells"), dept)
    frame = frame[overflow == ""].drop(columns="__overflow__")
    frame = frame[list(renamed)].rename(columns=renamed)
    for col in spec.columns:
        if col not in frame:
            frame[col] = None
    for col in spec.columns.values():
        frame[col.name] = normalise_column(frame[col.name], col)
    schema = build_schema(spec, checks)
    bad_rows = _validate(frame, schema, file, out)
    good = frame.drop(index=sorted(bad_rows))
    return text_cells(good[list(spec.columns)])


def text_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """Staged tables hold Python ``str`` or ``None`` in every cell, whichever lane."""
    frame = frame.astype(object)
    return frame.where(frame.notna(), None)


def _code(value: object) -> str | None:
    return normalise_column(pd.Series([value], dtype=object), ColumnSpec("dept_code", "code"))[0]


def _validate(frame: pd.DataFrame, schema, file: str, out: Collector) -> set[int]:
    try:
        schema.schema.validate(frame, lazy=True)
        return set()
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    bad: set[int] = set()
    seen: set[tuple] = set()
    for case in cases.itertuples(index=False):
        if pd.isna(case.index):
            continue  # column-level problems were refused while reading the headers
        row = int(case.index)
        check = str(case.check)
        row_check = schema.row_checks.get(check)
        column = row_check.column if row_check else case.column
        if (row, column, check) in seen:
            continue
        seen.add((row, column, check))
        value = None if "," in column else frame.at[row, column]
        dept = frame.at[row, "dept_code"] if "dept_code" in frame else None
        out.refuse(file, row, column, value, schema.reason(check), dept)
        bad.add(row)
    return bad
