"""Refusals and findings collected while a year is staged, kept as facts.

A refusal is a code and its parameters, never a sentence: its wording lives in the
message catalog (``refusal.<code>``, ``finding.<code>``), so it reads in any language
and the warehouse stores what happened, not how it was said.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import pandas as pd

from pipelines.messages import Message, say

REJECTED_COLUMNS = ["file", "row_number", "column", "value", "reason_code", "params", "dept_code"]
FINDING_COLUMNS = ["dept_code", "line_code", "severity", "code", "params"]


def typed_frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    """Rows as a frame whose text columns are text even when empty: DuckDB reads an
    empty or all-NULL object column as INTEGER, which then fails to meet a VARCHAR."""
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype({c: "str" for c in columns if c != "row_number"})


AREA = "refusal"


def refusal(code: str, /, **params: object) -> Message:
    """Why something is refused: ``refusal.<code>`` with its parameters (as text)."""
    return Message(f"{AREA}.{code}", **{k: str(v) for k, v in params.items()})


def reason_code(reason: Message) -> str:
    return reason.key.removeprefix(f"{AREA}.")


def params_json(params: Mapping[str, object]) -> str:
    """Parameters as the staged frames and the warehouse keep them: JSON of strings."""
    return json.dumps({k: str(v) for k, v in params.items()}, ensure_ascii=False, sort_keys=True)


def check_error(reason: Message) -> str:
    """A reason as a pandera check's ``error``: one text per code and parameters."""
    return f"{reason_code(reason)} {params_json(reason.params)}"


def reason_of(code: str, params: str | None) -> Message:
    """A staged refusal (its ``reason_code`` and ``params``) back as a sentence to show."""
    return refusal(code, **json.loads(params or "{}"))


def reason_text(code: str, params: str | None, lang: str | None = None) -> str:
    """A staged refusal in words, in ``lang`` (default: the current language)."""
    return say(f"{AREA}.{code}", lang, **json.loads(params or "{}"))


def finding_text(code: str, params: str | None, lang: str | None = None) -> str:
    """A staging finding in words, in ``lang`` (default: the current language)."""
    return say(f"finding.{code}", lang, **json.loads(params or "{}"))


class Collector:
    """Accumulates refusals and findings while a year is staged."""

    def __init__(self) -> None:
        self.rejected: list[dict] = []
        self.findings: list[dict] = []

    def refuse(self, file, row, column, value, reason: Message, dept=None) -> None:
        self.rejected.append(
            dict(
                file=file,
                row_number=row,
                column=column,
                value=value,
                reason_code=reason_code(reason),
                params=params_json(reason.params),
                dept_code=dept,
            )
        )

    def finding(self, dept, severity, code, params: Mapping[str, object], line=None) -> None:
        self.findings.append(
            dict(
                dept_code=dept,
                line_code=line,
                severity=severity,
                code=code,
                params=params_json(params),
            )
        )
