"""Staged text typed once, by DuckDB: the SQL type of every contract column and its cast.

Staging keeps canonical text; a value becomes a ``DECIMAL`` (or an integer, a boolean,
a date) only here, read by DuckDB from that text, so no figure passes through a binary
float on its way to a score. Both follow ``extracts.yaml``: a column's type there is its
type in the staged tables and in the cast that fills them, for the warehouse writer and
for any other reader of staged rows (the rule cases' in-memory tables) alike.
"""

from __future__ import annotations

import pandas as pd

from pipelines.ingest.spec import ColumnSpec, extract_specs

# contract type → SQL type; a type not named here (code, text, choice, grade_or_number)
# stays text
SQL_TYPES = {
    "amount": "DECIMAL(18,4)",
    "number": "DECIMAL(18,4)",
    "percent": "DECIMAL(18,4)",
    "integer": "INTEGER",
    "bool": "BOOLEAN",
    "date": "DATE",
}


def sql_type(column: ColumnSpec) -> str:
    return SQL_TYPES.get(column.type, "VARCHAR")


def typed_columns(extract: str) -> str:
    """Select items typing ``extract``'s staged text: every contract column cast to its
    SQL type, under its own name."""
    return ", ".join(
        f'CAST("{c.name}" AS {sql_type(c)}) AS "{c.name}"'
        for c in extract_specs()[extract].columns.values()
    )


def text_rows(frame: pd.DataFrame, extract: str) -> pd.DataFrame:
    """A staged frame (index: row number) as DuckDB reads it for ``typed_columns``: the
    row number as a column, then the contract's columns with a missing value as NULL
    (pandas' NaN would reach the cast as a float)."""
    columns = list(extract_specs()[extract].columns)
    data = frame.reset_index()
    for col in columns:
        data[col] = data[col].astype(object).where(data[col].notna(), None)
    return data[["row_number", *columns]].astype({"row_number": "int64"})
