"""Exact decimal arithmetic for the scoring SQL.

DuckDB divides DECIMALs into DOUBLE, so a rate is computed in integers instead:
both operands scaled to 4 places as HUGEINT, the quotient rounded half-up (away
from zero) at the rubric's places. ROUND on a DECIMAL already rounds half away from
zero in DuckDB, which for the non-negative scores here is 四舍五入.
"""

from __future__ import annotations

import re
from decimal import Decimal

import duckdb

_IDENT = re.compile(r"^[a-z][a-z0-9_]*$")


def lit(value: Decimal | int) -> str:
    """A validated rubric number as a typed SQL literal (never used for data values)."""
    text = format(Decimal(value), "f")
    if not re.fullmatch(r"-?\d+(\.\d+)?", text):
        raise ValueError(f"not a plain decimal: {value!r}")
    return f"CAST('{text}' AS DECIMAL(18,4))"


def ident(name: str) -> str:
    """A validated identifier (line code, column name) for use in SQL text."""
    if not _IDENT.match(name):
        raise ValueError(f"not a safe identifier: {name!r}")
    return name


def create_macros(con: duckdb.DuckDBPyConnection, rate_places: int, score_places: int) -> None:
    """(Re)define the exact arithmetic macros for one rubric's number settings (sentences
    format numbers with the msg_* macros of pipelines.messages.sql, when read)."""
    scale = 10**rate_places
    unit = lit(Decimal(1).scaleb(-rate_places))
    score_unit = lit(Decimal(1).scaleb(-score_places))
    con.execute(f"""
        CREATE OR REPLACE TEMP MACRO jx_int4(x) AS
            CAST(CAST(x AS DECIMAL(18,4)) * 10000 AS HUGEINT);
        -- percent n / d × 100, rounded half-up (away from zero) to the rubric's rate places
        CREATE OR REPLACE TEMP MACRO jx_pct(n, d) AS CASE WHEN d = 0 THEN NULL ELSE
            CAST(CAST(sign(n) * sign(d) *
                 ((abs(jx_int4(n)) * {200 * scale} + abs(jx_int4(d))) // (2 * abs(jx_int4(d))))
            AS DECIMAL(18,0)) * {unit} AS DECIMAL(18,4)) END;
        -- quotient n / d rounded half-up (away from zero) to the rubric's score places
        CREATE OR REPLACE TEMP MACRO jx_quot(n, d) AS CASE WHEN d = 0 THEN NULL ELSE
            CAST(CAST(sign(n) * sign(d) *
                 ((abs(jx_int4(n)) * {2 * 10**score_places} + abs(jx_int4(d)))
                  // (2 * abs(jx_int4(d))))
            AS DECIMAL(18,0)) * {score_unit} AS DECIMAL(18,4)) END;
        -- whole steps of `step` in a non-negative excess, exactly (floor; the edge counts)
        CREATE OR REPLACE TEMP MACRO jx_steps(excess, step) AS
            CASE WHEN excess <= 0 THEN 0 ELSE jx_int4(excess) // jx_int4(step) END;
    """)
