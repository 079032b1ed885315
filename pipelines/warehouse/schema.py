"""Warehouse tables and the analyst views of contract.md.

Staged tables are generated from the extract contract (one column per contract
column, typed once); scored tables are fixed. Views are what analysts query.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipelines.ingest.spec import extract_specs
from pipelines.scoring import rates

SQL_TYPES = {"amount": "DECIMAL(18,4)", "number": "DECIMAL(18,4)", "percent": "DECIMAL(18,4)",
             "integer": "INTEGER", "bool": "BOOLEAN", "date": "DATE"}


def staged_table(extract: str) -> str:
    return f"staged_{extract}"


def staged_ddl() -> str:
    out = []
    for name, spec in extract_specs().items():
        cols = ",\n    ".join(
            f'"{c.name}" {SQL_TYPES.get(c.type, "VARCHAR")}' for c in spec.columns.values()
        )
        out.append(
            f"CREATE TABLE IF NOT EXISTS {staged_table(name)} (\n    year INTEGER NOT NULL,\n"
            f"    row_number INTEGER,\n    {cols});"
        )
    return "\n".join(out)


def staged_migrations() -> str:
    """Columns added to the contract after a warehouse file was created: added here."""
    return "\n".join(
        f'ALTER TABLE {staged_table(name)} ADD COLUMN IF NOT EXISTS "{c.name}" '
        f'{SQL_TYPES.get(c.type, "VARCHAR")};'
        for name, spec in extract_specs().items()
        for c in spec.columns.values()
    )


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(staged_ddl())
    con.execute(staged_migrations())
    con.execute(rates.table_ddl(temp=False))
    con.execute(Path(__file__).with_name("schema.sql").read_text("utf-8"))
