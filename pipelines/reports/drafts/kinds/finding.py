"""finding: every finding (``findings``) with one of ``codes`` (and, with
``severities``, of those); ``cite`` names the parameters shown as its figures.

Seed, BJ-FAO 2023: the 预决算差异率 cell reads "18.6213.01% %" (reported_value_unreadable).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from pydantic import Field

from pipelines.messages import label
from pipelines.reports.drafts.common import (
    CHUNK,
    LIST,
    DraftRule,
    Evidence,
    Place,
    evidence,
    in_chunk,
)

KIND = "finding"

SQL = """
        SELECT f.dept_code, f.code, f.line_code, f.severity, f.params, l.name AS line_name
        FROM findings f
        LEFT JOIN (SELECT DISTINCT dept_code, line_code, name FROM line_scores
                   WHERE year = ? AND {lchunk}) l USING (dept_code, line_code)
        WHERE f.year = ? AND {chunk} AND list_contains(CAST(? AS VARCHAR[]), f.code) {severities}
        ORDER BY f.dept_code, f.code, f.line_code NULLS FIRST, f.severity,
                 CAST(f.params AS VARCHAR)"""


class Rule(DraftRule):
    kind: Literal["finding"]
    codes: list[str] = Field(min_length=1)
    severities: list[str] | None = None
    cite: list[str] = []


def query(rule: Rule) -> tuple[str, list]:
    severities = "" if rule.severities is None else f"AND list_contains({LIST}, f.severity)"
    sql = SQL.format(chunk=in_chunk("f."), lchunk=in_chunk(), severities=severities)
    extra = [rule.codes] + ([] if rule.severities is None else [rule.severities])
    return sql, [CHUNK, CHUNK, *extra]


def item(rule: Rule, row: Mapping, at: Place) -> tuple[dict, list[Evidence]]:
    values = {str(k): v for k, v in dict(row.get("params") or {}).items()}
    code, line = str(row["code"]), row.get("line_code")
    where = f"{at.key};code={code}" + ("" if line is None else f";line_code={line}")
    params = {
        **values, "code": code, "line_code": line or "",
        "item": row.get("line_name") or values.get("line_name") or values.get("section_name")
        or line or code,
    }  # fmt: skip
    figures = [
        evidence("finding", str(values[name]), "findings", where, f"params.{name}", code=code,
                 param=label("draft.param", name))
        for name in rule.cite
        if values.get(name) is not None
    ]  # fmt: skip
    return params, figures
