"""Small helpers that turn frames into Dagster metadata (tables an operator can read)."""

from __future__ import annotations

import dagster as dg
import pandas as pd


def markdown_table(frame: pd.DataFrame, limit: int = 20) -> dg.MarkdownMetadataValue:
    if frame.empty:
        return dg.MetadataValue.md("_none_")
    shown = frame.head(limit).astype(object).where(frame.head(limit).notna(), "")
    header = "| " + " | ".join(map(str, shown.columns)) + " |"
    rule = "|" + "---|" * len(shown.columns)
    rows = [
        "| " + " | ".join(_cell(v) for v in row) + " |" for row in shown.itertuples(index=False)
    ]
    more = [f"\n_{len(frame) - limit} more rows not shown_"] if len(frame) > limit else []
    return dg.MetadataValue.md("\n".join([header, rule, *rows, *more]))


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def files_table(raw) -> pd.DataFrame:
    """One row per extract file of a RawYear: name, rows read (a bulk-lane file is
    counted when it is staged), encoding, error."""
    return pd.DataFrame(
        [
            (f.name, f.rows, f"{f.encoding} (bulk lane)" if f.bulk else f.encoding, f.error)
            for f in raw.files.values()
        ],
        columns=["file", "rows", "read as", "error"],
    )
