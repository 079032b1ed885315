"""Writing the extracts (csv or xlsx, byte-for-byte reproducible) and copying the seed."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd

from pipelines.ingest.read import SUFFIXES, find_extract, read_table
from pipelines.ingest.spec import extract_specs, header_key
from pipelines.rubric import Rubric

FORMATS = ("csv", "xlsx", "parquet")
_EPOCH = dt.datetime(2000, 1, 1)


def clear_extracts(year_dir: Path) -> None:
    """Remove earlier extract files of this year (a csv beside an xlsx would be refused)."""
    for name in extract_specs():
        for path in find_extract(year_dir, name):
            path.unlink()


def write_extract(year_dir: Path, name: str, frame: pd.DataFrame, fmt: str) -> Path:
    """Columns in the contract's order, only those with a value (every column the frame
    has, when it has no rows: a header); identifier headers."""
    spec = extract_specs()[name]
    cols = [c for c in spec.columns if c in frame and (frame.empty or frame[c].notna().any())]
    data = frame[cols].astype(object).where(frame[cols].notna(), None)
    path = year_dir / f"{name}.{fmt}"
    if fmt == "csv":
        data.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
    elif fmt == "parquet":
        _write_parquet(path, data)
    else:
        _write_xlsx(path, data)
    return path


def _write_parquet(path: Path, data: pd.DataFrame) -> None:
    """Text columns, as in the csv: the values are written exactly as the generator made them."""
    import duckdb

    with duckdb.connect() as con:
        con.register("extract", data.astype(object).where(data.notna(), None))
        columns = ", ".join(f'CAST("{c}" AS VARCHAR) AS "{c}"' for c in data.columns)
        target = str(path).replace("'", "''")
        con.execute(f"COPY (SELECT {columns} FROM extract) TO '{target}' (FORMAT parquet)")


def _write_xlsx(path: Path, data: pd.DataFrame) -> None:
    import xlsxwriter  # only needed for xlsx

    # in_memory: the zip entries are dated 1980-01-01, not now; created is fixed too
    with xlsxwriter.Workbook(str(path), {"in_memory": True}) as wb:
        wb.set_properties({"created": _EPOCH})
        sheet = wb.add_worksheet(path.stem)
        for c, name in enumerate(data.columns):
            sheet.write_string(0, c, str(name))
        for r, row in enumerate(data.itertuples(index=False), start=1):
            for c, value in enumerate(row):
                if value is not None:  # text cells: exact values, never a formula
                    sheet.write_string(r, c, str(value))


def seed_tables(year_dir: Path, jurisdiction: str) -> dict[str, pd.DataFrame]:
    """The real departments' rows of ``year_dir`` whose jurisdiction is ``jurisdiction``,
    read with the project's reader, headers mapped to identifiers, values as written."""
    tables: dict[str, pd.DataFrame] = {}
    for name, spec in extract_specs().items():
        paths = [p for p in find_extract(year_dir, name) if p.suffix.lower() in SUFFIXES]
        if not paths:
            continue
        frame, _ = read_table(paths[0])
        known = spec.header_map()
        headers = [h for h in frame.columns if h != "__overflow__"]
        unknown = [h for h in headers if header_key(h) not in known]
        if unknown:
            raise ValueError(f"{paths[0]}: headers not in the contract: {', '.join(unknown)}")
        frame = frame[headers].rename(columns={h: known[header_key(h)] for h in headers})
        tables[name] = frame.where(frame != "", None).reset_index(drop=True)
    depts = tables.get("departments")
    if depts is None:
        return {}
    keep = set(depts.loc[depts["jurisdiction"] == jurisdiction, "dept_code"])
    return {name: t[t["dept_code"].isin(keep)] for name, t in tables.items()}


def self_reported_year(
    budget: pd.DataFrame, codes: tuple[str, ...], rubric: Rubric
) -> pd.DataFrame:
    """Published self-evaluation figures of a few departments: the ratio lines as the
    rules give them, the checklist lines claimed in full whatever the checklist says."""
    rate_q = Decimal(1).scaleb(-rubric.numbers.rate_places)
    score_q = Decimal(1).scaleb(-rubric.numbers.score_places)
    rows = []
    amounts = budget.set_index("dept_code")
    for code in (c for c in codes if c in amounts.index):
        for placed in rubric.fixed_lines():
            rule, weight = placed.line.rule, placed.line.weight
            if rule.kind == "ratio" and {rule.numerator, rule.denominator} <= set(amounts):
                num = Decimal(amounts.at[code, rule.numerator])
                den = Decimal(amounts.at[code, rule.denominator])
                rate = (num * 100 / den).quantize(rate_q, ROUND_HALF_UP)
                score = (min(rate, rule.cap_pct) * weight / 100).quantize(score_q, ROUND_HALF_UP)
                rows.append((code, placed.code, str(score), f"{rate}%", "合成数据：自评表"))
            elif rule.kind == "checklist":
                claim = str(weight.quantize(score_q))
                rows.append((code, placed.code, claim, None, "合成数据：自评表（自评满分）"))
    return pd.DataFrame(
        rows, columns=["dept_code", "line_code", "reported_score", "reported_value", "source"]
    )
