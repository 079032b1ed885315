"""line_lost_points: every scored line whose final score is below its weight by more
than ``min_lost`` (and, with ``rule_kinds``, of those rubric rule kinds); the why is
the line's own derivation (``v_line_scores.explanation``).

Seed, BJ-FAO 2023: 资金总体 18.83 of 20 loses 1.17 (> 0), goals 02 and 08 lose 2.00 each.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Literal

from pipelines.reports import numbers
from pipelines.reports.drafts.common import (
    CHUNK,
    LIST,
    DraftRule,
    Evidence,
    Place,
    evidence,
    in_chunk,
)

KIND = "line_lost_points"

SQL = """
        SELECT dept_code, line_code, name, weight, final_score,
               weight - final_score AS lost
        FROM v_line_scores
        WHERE year = ? AND {chunk} AND weight <> 0 AND final_score IS NOT NULL
          AND weight - final_score > ? {kinds}
        ORDER BY dept_code, section_order, group_order, line_order, line_code"""


class Rule(DraftRule):
    kind: Literal["line_lost_points"]
    min_lost: Decimal = Decimal(0)
    rule_kinds: list[str] | None = None
    except_lines: list[str] = []  # lines another rule speaks of (a rate and its baseline)


def query(rule: Rule) -> tuple[str, list]:
    kinds = "" if rule.rule_kinds is None else f"AND list_contains({LIST}, rule_kind)"
    kinds += f" AND NOT list_contains({LIST}, line_code)"
    params = [CHUNK, rule.min_lost] + ([] if rule.rule_kinds is None else [rule.rule_kinds])
    return SQL.format(chunk=in_chunk(), kinds=kinds), [*params, rule.except_lines]


def item(rule: Rule, row: Mapping, at: Place) -> tuple[dict, list[Evidence]]:
    code = str(row["line_code"])
    where = f"{at.key};line_code={code}"
    name = row.get("name") or code
    params = {
        "item": name, "line_code": code, "weight": numbers.score(row["weight"]),
        "score": numbers.score(row["final_score"]), "lost": numbers.score(row["lost"]),
        "why": at.why.get(code) or "",
    }  # fmt: skip
    figures = [
        evidence("weight", params["weight"], "v_line_scores", where, "weight", name=name),
        evidence("score", params["score"], "v_line_scores", where, "final_score", name=name),
    ]
    return params, figures
