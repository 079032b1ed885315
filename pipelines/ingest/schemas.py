"""pandera schemas for the raw extracts, built from the contract (``extracts.yaml``).

Each schema checks canonical text (after ``normalise``): formats, required values,
allowed values, unique keys, and the checks that need context (known departments,
the groups, grades and checklist lines of the department's rubric). Validation is
lazy, so one run reports every bad cell of every file at once.

A check that spans columns is a DataFrame-level check; ``RowCheck`` remembers which
column its refusal should name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
import pandera.pandas as pa

from pipelines.ingest.spec import ColumnSpec, ExtractSpec

NUMBER = r"^-?\d{1,14}(\.\d{1,4})?$"
INTEGER = r"^\d{1,9}$"
DATE = r"^\d{4}-\d{2}-\d{2}$"
CODE = r"^\S{1,64}$"

FORMAT_REASONS = {
    "amount": "expected an amount in 万元 such as 19,347.12 (at most 4 decimal places)",
    "number": "expected a number such as 7.50 (at most 4 decimal places)",
    "percent": "expected a rate in percent such as 94.15% or 94.15",
    "integer": "expected a whole number such as 1, 2, 3",
    "bool": "expected true/false, 是/否 or 1/0",
    "date": "expected a date such as 2024-03-31",
    "code": "expected a code without spaces (at most 64 characters)",
}
PATTERNS = {
    "amount": NUMBER,
    "number": NUMBER,
    "percent": NUMBER,
    "integer": INTEGER,
    "date": DATE,
    "code": CODE,
}


def numeric(s: pd.Series) -> pd.Series:
    """Float view of canonical number text, for comparisons only (never for arithmetic).

    Each value has at most 18 significant digits; for ≤ 15 the double order equals the
    decimal order, and the staged DECIMAL values are what scoring uses.
    """
    return pd.to_numeric(s, errors="coerce")


@dataclass(frozen=True)
class RowCheck:
    """A check over whole rows: ``ok(frame)`` → True per good row; a refusal names ``column``."""

    column: str
    reason: str
    ok: Callable[[pd.DataFrame], pd.Series]


@dataclass
class Schema:
    schema: pa.DataFrameSchema
    row_checks: dict[str, RowCheck] = field(default_factory=dict)


def column_checks(col: ColumnSpec) -> list[pa.Check]:
    checks: list[pa.Check] = []
    if col.type in PATTERNS:
        checks.append(pa.Check.str_matches(PATTERNS[col.type], error=FORMAT_REASONS[col.type]))
    if col.type == "bool":
        checks.append(pa.Check.isin(["true", "false"], error=FORMAT_REASONS["bool"]))
    if col.type == "choice":
        allowed = ", ".join(col.choices)
        checks.append(pa.Check.isin(list(col.choices), error=f"expected one of: {allowed}"))
    if col.positive:
        checks.append(
            pa.Check(lambda s: ~(numeric(s) <= 0), error="must be greater than 0 (it divides)")
        )
    return checks


def build_schema(spec: ExtractSpec, row_checks: list[RowCheck] = ()) -> Schema:
    columns = {
        c.name: pa.Column(
            dtype=None,
            checks=column_checks(c),
            nullable=not c.required,
            required=c.required,
        )
        for c in spec.columns.values()
    }
    key = list(spec.key)
    all_checks = [
        RowCheck(
            column=",".join(key),
            reason=f"duplicate row: another row has the same {' + '.join(key)}",
            ok=lambda df: ~df.duplicated(key, keep=False) if set(key) <= set(df) else True,
        ),
        *row_checks,
    ]
    wide = [pa.Check(rc.ok, error=rc.reason) for rc in all_checks]
    schema = pa.DataFrameSchema(columns, checks=wide, strict=False, name=spec.name)
    return Schema(schema, {rc.reason: rc for rc in all_checks})
