"""The scoring engine's inputs: views over a year's staged tables (and last year's).

Scoring reads relations, not the warehouse: ``bind`` names the staged tables of one
year ``stg_<extract>`` and last year's ``prior_budget`` and ``prior_indicators``,
whatever table holds them (``staged_<extract>`` in the warehouse, by default).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import duckdb

from pipelines.ingest.spec import extract_specs


def bind(
    con: duckdb.DuckDBPyConnection,
    year: int,
    unscorable: Iterable[str] = (),
    table_of: Callable[[str], str] = lambda extract: f"staged_{extract}",
) -> None:
    """Temp views ``stg_*`` of ``year``, ``prior_*`` of ``year − 1``, and the table
    ``unscorable`` of departments refused at staging (never scored)."""
    year = int(year)
    for name in extract_specs():
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW stg_{name} AS "
            f"SELECT * FROM {table_of(name)} WHERE year = {year}"
        )
    for name in ("budget", "indicators"):
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW prior_{name} AS "
            f"SELECT * FROM {table_of(name)} WHERE year = {year - 1}"
        )
    con.execute("CREATE OR REPLACE TEMP TABLE unscorable (dept_code VARCHAR)")
    codes = sorted(unscorable)
    if codes:
        con.executemany("INSERT INTO unscorable VALUES (?)", [[c] for c in codes])
