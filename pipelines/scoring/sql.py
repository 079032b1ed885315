"""Exact decimal arithmetic and number formatting for the scoring SQL.

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


def label_literal(rubric_id: str) -> str:
    if not re.fullmatch(r"[a-z][a-z0-9_]*/\d{4}", rubric_id):
        raise ValueError(f"not a rubric id: {rubric_id!r}")
    return f"'rubrics/{rubric_id}'"


def create_macros(con: duckdb.DuckDBPyConnection, rate_places: int, score_places: int) -> None:
    """(Re)define the arithmetic and formatting macros for one rubric's number settings."""
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
        -- display: a parameter or weight without trailing zeros (20, 7.5, 0.4, 28.3)
        -- (string functions, not regexes: they run once per line, millions of times)
        CREATE OR REPLACE TEMP MACRO jx_num(x) AS
            rtrim(rtrim(CAST(CAST(x AS DECIMAL(18,4)) AS VARCHAR), '0'), '.');
        -- display: an amount with at least 2 places (18214.74, 8782.50)
        CREATE OR REPLACE TEMP MACRO jx_amt4(s) AS CASE
            WHEN suffix(s, '00') THEN left(s, length(s) - 2)
            WHEN suffix(s, '0') THEN left(s, length(s) - 1) ELSE s END;
        CREATE OR REPLACE TEMP MACRO jx_amt(x) AS
            jx_amt4(CAST(CAST(x AS DECIMAL(18,4)) AS VARCHAR));
        -- display: a rate with exactly the rubric's places (94.15)
        CREATE OR REPLACE TEMP MACRO jx_rate(x) AS
            CAST(CAST(x AS DECIMAL(18,{rate_places})) AS VARCHAR);
        CREATE OR REPLACE TEMP MACRO jx_score(x) AS CAST(CAST(x AS DECIMAL(18,2)) AS VARCHAR);
    """)
