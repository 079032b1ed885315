"""The data-driven sentences of the self-evaluation, in the seed's own phrasing
(shared/seeds/000_1caa9b1342e44927.txt: 二, 四（四）, 四（五）, 五（一）).

The words are the catalog's (``report.sentence.*``, in the current language); this
module only decides which clauses a sentence has. A clause whose input is missing is
left out, so a sentence never says "None".

Spacing rule (Chinese): one space between a number and the Chinese text around it
("2023 年结转结余率 5.85%"), none next to Chinese punctuation. The published PDF
is inconsistent ("2023年全年预算数", "8782.5万元"); with whitespace ignored these
sentences are the published ones.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from pipelines.messages import say
from pipelines.reports.data import value
from pipelines.reports.numbers import amount, dec, pct, score

Row = Mapping | None  # a row of a view (data.records)

_TRAILING_ABBREVIATION = re.compile(r"^(?P<full>.+)[（(](?P<short>[^（）()]{1,8})[）)]$")


def short_name(dept_name: str) -> str:
    """The name the report uses in its sentences: "市外办" for
    "北京市人民政府外事办公室（市外办）".

    A trailing bracket is an abbreviation (简称) only when its characters appear in
    order in the full name; "示例部门001（合成数据）" keeps its whole name.
    """
    match = _TRAILING_ABBREVIATION.match(dept_name or "")
    if not match:
        return dept_name or ""
    rest = iter(match["full"])
    return match["short"] if all(ch in rest for ch in match["short"]) else dept_name


def _get(row: Row, column: str):
    return dec(value(row, column))


def _clauses(row: Row, parts: list[tuple[str, str]]) -> list[str]:
    """``report.sentence.<key>`` for each (key, column) whose amount is present."""
    return [
        say(f"report.sentence.{key}", amount=amount(_get(row, col)))
        for key, col in parts
        if _get(row, col) is not None
    ]


def _joined(parts: list[str], separator: str = "comma") -> str:
    return say(f"report.list.{separator}").join(parts)


def budget_execution(year: int, budget: Row, rates: Row) -> str:
    """二、当年预算执行情况."""
    full, spent = _get(budget, "full_year_budget"), _get(budget, "executed")
    if full is None or spent is None:
        return ""
    text = say(
        "report.sentence.execution.opening", year=year, budget=amount(full), executed=amount(spent)
    )
    parts = _clauses(
        budget,
        [
            ("execution.basic", "basic_executed"),
            ("execution.project", "project_executed"),
            ("execution.other", "other_executed"),
        ],
    )
    if parts:
        text += say("report.sentence.including", parts=_joined(parts))
    text += say("report.sentence.end")
    if _get(rates, "execution_rate") is not None:
        text += say("report.sentence.execution.rate", rate=pct(_get(rates, "execution_rate")))
    return text


def _nonfiscal(budget: Row) -> str:
    total = _get(budget, "carryover_nonfiscal")
    if total is None:
        return ""
    text = say("report.sentence.carryover.nonfiscal", amount=amount(total))
    # The extract does not split non-fiscal carryover yet; when it carries the project
    # part, the seed's wording follows ("…均为项目支出结转").
    project = _get(budget, "carryover_nonfiscal_project")
    if project is not None and total:
        text += (
            say("report.sentence.carryover.nonfiscal_all_project")
            if project == total
            else say("report.sentence.carryover.nonfiscal_project", amount=amount(project))
        )
    return text


def carryover(year: int, name: str, budget: Row, rates: Row) -> str:
    """四（四）结转结余率."""
    full, total = _get(budget, "full_year_budget"), _get(budget, "carryover_total")
    if full is None or total is None:
        return ""
    text = say(
        "report.sentence.carryover.opening",
        year=year,
        name=name,
        budget=amount(full),
        total=amount(total),
    )
    fiscal = ""
    if _get(budget, "carryover_fiscal") is not None:
        fiscal = say(
            "report.sentence.carryover.fiscal", amount=amount(_get(budget, "carryover_fiscal"))
        )
        parts = _clauses(
            budget,
            [
                ("carryover.fiscal_basic", "carryover_fiscal_basic"),
                ("carryover.fiscal_project", "carryover_fiscal_project"),
            ],
        )
        if parts:
            fiscal += say("report.sentence.carryover.fiscal_parts", parts=_joined(parts))
    details = [part for part in (fiscal, _nonfiscal(budget)) if part]
    if details:
        text += say("report.sentence.including", parts=_joined(details, "semicolon"))
    text += say("report.sentence.end")
    if _get(rates, "carryover_rate") is not None:
        text += say(
            "report.sentence.carryover.rate", year=year, rate=pct(_get(rates, "carryover_rate"))
        )
    return text


def budget_final_difference(year: int, budget: Row, rates: Row) -> str:
    """四（五）部门预决算差异率."""
    initial, final = _get(budget, "initial_budget"), _get(budget, "final_accounts")
    if initial is None or final is None:
        return ""
    text = say(
        "report.sentence.difference.opening",
        year=year,
        initial=amount(initial),
        final=amount(final),
        gap=amount(final - initial),
    )
    if _get(rates, "budget_final_diff_rate") is not None:
        text += say(
            "report.sentence.difference.rate", rate=pct(_get(rates, "budget_final_diff_rate"))
        )
    return text + say("report.sentence.end")


def conclusion(year: int, name: str, total, grade: str) -> str:
    """五（一）评价得分情况. The seed opens with 经内部评议 (its own review); these
    scores come from the rubric, so the report says 经评价."""
    return say("report.sentence.conclusion", year=year, name=name, score=score(total), grade=grade)
