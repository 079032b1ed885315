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

from pipelines.ingest.refusals import check_error, refusal
from pipelines.ingest.spec import ColumnSpec, ExtractSpec
from pipelines.messages import Message

NUMBER = r"^-?\d{1,14}(\.\d{1,4})?$"
INTEGER = r"^\d{1,9}$"
DATE = r"^\d{4}-\d{2}-\d{2}$"
CODE = r"^\S{1,64}$"

FORMAT_REASONS = {
    "amount": refusal("not_an_amount"),
    "number": refusal("not_a_number"),
    "percent": refusal("not_a_percent"),
    "integer": refusal("not_an_integer"),
    "bool": refusal("not_a_bool"),
    "date": refusal("not_a_date"),
    "code": refusal("not_a_code"),
}
# pandera's own checks, named by pandera (a missing column is refused with the headers)
BUILTIN_REASONS = {"not_nullable": refusal("empty_value")}
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
    reason: Message  # refusal(...)
    ok: Callable[[pd.DataFrame], pd.Series]


@dataclass
class Schema:
    schema: pa.DataFrameSchema
    # a failed check's error text → its row check / its reason (column checks too)
    row_checks: dict[str, RowCheck] = field(default_factory=dict)
    reasons: dict[str, Message] = field(default_factory=dict)

    def reason(self, check: str) -> Message:
        """The reason behind a failed check; a check nobody worded is named as pandera
        names it rather than lost."""
        return self.reasons.get(check) or refusal("failed_check", check=check)


def column_checks(col: ColumnSpec) -> list[tuple[Message, pa.Check]]:
    """(reason, check) for each rule of the column; the check's error is its reason's."""
    checks: list[tuple[Message, pa.Check]] = []
    if col.type in PATTERNS:
        why = FORMAT_REASONS[col.type]
        checks.append((why, pa.Check.str_matches(PATTERNS[col.type], error=check_error(why))))
    if col.type == "bool":
        why = FORMAT_REASONS["bool"]
        checks.append((why, pa.Check.isin(["true", "false"], error=check_error(why))))
    if col.type == "choice":
        why = refusal("not_a_choice", choices=", ".join(col.choices))
        checks.append((why, pa.Check.isin(list(col.choices), error=check_error(why))))
    if col.positive:
        why = refusal("not_positive")
        checks.append((why, pa.Check(lambda s: ~(numeric(s) <= 0), error=check_error(why))))
    return checks


def duplicate_row(key: list[str]) -> Message:
    """Two rows with the same key; the catalog words keys of one, two or three columns."""
    code = "duplicate_row" if len(key) == 1 else f"duplicate_row_{len(key)}"
    return refusal(code, **{f"column_{i}": c for i, c in enumerate(key, start=1)})


def build_schema(spec: ExtractSpec, row_checks: list[RowCheck] = ()) -> Schema:
    rules = {c.name: column_checks(c) for c in spec.columns.values()}
    columns = {
        c.name: pa.Column(
            dtype=None,
            checks=[check for _, check in rules[c.name]],
            nullable=not c.required,
            required=c.required,
        )
        for c in spec.columns.values()
    }
    key = list(spec.key)
    all_checks = [
        RowCheck(
            column=",".join(key),
            reason=duplicate_row(key),
            ok=lambda df: ~df.duplicated(key, keep=False) if set(key) <= set(df) else True,
        ),
        *row_checks,
    ]
    wide = [pa.Check(rc.ok, error=check_error(rc.reason)) for rc in all_checks]
    schema = pa.DataFrameSchema(columns, checks=wide, strict=False, name=spec.name)
    reasons = {**BUILTIN_REASONS}
    reasons |= {check_error(r): r for col in rules.values() for r, _ in col}
    reasons |= {check_error(rc.reason): rc.reason for rc in all_checks}
    return Schema(schema, {check_error(rc.reason): rc for rc in all_checks}, reasons)
