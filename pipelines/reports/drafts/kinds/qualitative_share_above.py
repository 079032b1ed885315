"""qualitative_share_above: the share of the department's declared indicators
(``staged_indicators``) of kind qualitative is above ``max_share_pct``.

Seed, BJ-FAO 2023: 7 of its 7 declared goals are qualitative, 100.00% > 50%.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from pipelines.reports import numbers
from pipelines.reports.drafts.common import CHUNK, DraftRule, Evidence, Place, evidence, in_chunk

KIND = "qualitative_share_above"

SQL = """
        SELECT dept_code, count(*)::BIGINT AS declared,
               count_if(kind = 'qualitative')::BIGINT AS qualitative
        FROM staged_indicators
        WHERE year = ? AND {chunk}
        GROUP BY dept_code
        HAVING count(*) >= ? AND count_if(kind = 'qualitative') * 100 > ? * count(*)
        ORDER BY dept_code"""


class Rule(DraftRule):
    kind: Literal["qualitative_share_above"]
    max_share_pct: Decimal
    min_declared: int = 1


def query(rule: Rule) -> tuple[str, list]:
    return SQL.format(chunk=in_chunk()), [CHUNK, rule.min_declared, rule.max_share_pct]


def item(rule: Rule, row: Mapping, at: Place) -> tuple[dict, list[Evidence]]:
    declared, qualitative = int(row["declared"]), int(row["qualitative"])
    params = {
        "declared": declared, "qualitative": qualitative,
        "share": numbers.pct(_share(qualitative, declared)), "max_share": _num(rule.max_share_pct),
    }  # fmt: skip
    figures = [
        evidence("declared", str(declared), "staged_indicators", at.key, "count(*)"),
        evidence(
            "qualitative", str(qualitative), "staged_indicators",
            f"{at.key};kind=qualitative", "count(*)",
        ),
    ]  # fmt: skip
    return params, figures


def _share(part: int, whole: int) -> Decimal:
    return (Decimal(part) * 100 / Decimal(whole)).quantize(numbers.CENT, rounding=ROUND_HALF_UP)


def _num(value) -> str:
    """A threshold as written: 50, 0.5."""
    d = numbers.dec(value)
    return numbers.MISSING if d is None else f"{d.normalize():f}"
