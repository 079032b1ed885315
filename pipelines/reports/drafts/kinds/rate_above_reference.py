"""rate_above_reference: a rate of ``v_budget_rates`` is above its baseline by more than
``margin_pct`` points: the baseline a scored line compared it with
(``line_scores.baseline_pct`` of ``baseline.line``: last year's rate, the municipal
average…) or a fixed ``baseline.value_pct``.

Seed, BJ-FAO 2023: 结转结余率 5.85% is not above last year's 6.81%: nothing drafted.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Literal

from pydantic import model_validator

from pipelines.messages import label
from pipelines.reports import numbers
from pipelines.reports.drafts.common import (
    CHUNK,
    DraftRule,
    Evidence,
    Invalid,
    Place,
    evidence,
    in_chunk,
)
from pipelines.rubric.base import Strict

KIND = "rate_above_reference"
# the rates of v_budget_rates a rule may compare (each has its label, report.rate.*)
RATES = ("execution_rate", "carryover_rate", "budget_final_diff_rate")

SQL = """
        SELECT r.dept_code, r.{rate} AS rate, {baseline} AS baseline
        FROM v_budget_rates r {join}
        WHERE r.year = ? AND {chunk} AND r.{rate} IS NOT NULL AND {baseline} IS NOT NULL
          AND r.{rate} - {baseline} > ?
        ORDER BY r.dept_code"""
BASELINE_LINE = """LEFT JOIN line_scores b
        ON b.year = r.year AND b.dept_code = r.dept_code AND b.line_code = ?"""


class Baseline(Strict):
    line: str | None = None  # the baseline_pct a scored line compared the rate with
    value_pct: Decimal | None = None

    @model_validator(mode="after")
    def _one(self):
        if (self.line is None) == (self.value_pct is None):
            raise Invalid("baseline_one")
        return self


class Rule(DraftRule):
    kind: Literal["rate_above_reference"]
    rate: Literal[RATES]
    baseline: Baseline
    margin_pct: Decimal = Decimal(0)


def query(rule: Rule) -> tuple[str, list]:
    if rule.baseline.line is not None:
        baseline, join, head = "b.baseline_pct", BASELINE_LINE, [rule.baseline.line]
    else:  # a validated Decimal: digits, a sign and a point only
        baseline, join, head = f"CAST('{rule.baseline.value_pct}' AS DECIMAL(18,4))", "", []
    sql = SQL.format(rate=rule.rate, baseline=baseline, join=join, chunk=in_chunk("r."))
    return sql, [*head, CHUNK, rule.margin_pct]


def item(rule: Rule, row: Mapping, at: Place) -> tuple[dict, list[Evidence]]:
    rate, baseline = numbers.dec(row["rate"]), numbers.dec(row["baseline"])
    params = {
        "item": label("report.rate", rule.rate), "rate": numbers.pct(rate),
        "baseline": numbers.pct(baseline), "excess": numbers.score(rate - baseline),
    }  # fmt: skip
    figures = [
        evidence("rate", params["rate"], "v_budget_rates", at.key, rule.rate, item=params["item"])
    ]
    if rule.baseline.line is not None:
        where = f"{at.key};line_code={rule.baseline.line}"
        figures.append(
            evidence(
                "baseline", params["baseline"], "line_scores", where, "baseline_pct",
                line_code=rule.baseline.line,
            )
        )  # fmt: skip
    return params, figures
