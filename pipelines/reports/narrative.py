"""The data-driven sentences of the self-evaluation, in the seed's own phrasing
(shared/seeds/000_1caa9b1342e44927.txt: 二, 四（四）, 四（五）, 五（一）).

Spacing rule: one space between a number and the Chinese text around it
("2023 年结转结余率 5.85%"), none next to Chinese punctuation. The published PDF
is inconsistent ("2023年全年预算数", "8782.5万元"); with whitespace ignored these
sentences are the published ones. A clause whose input is missing is left out.
"""

from __future__ import annotations

import re

import pandas as pd

from pipelines.reports.numbers import amount, dec, pct, score

GRADE_WORDS = {"优": "优秀", "良": "良好", "中": "中等", "差": "差"}
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


def _get(row: pd.Series | None, column: str):
    if row is None or column not in row.index:
        return None
    return dec(row[column])


def _wan(label: str, value) -> str:
    return f"{label} {amount(value)} 万元"


def _clauses(row: pd.Series | None, parts: list[tuple[str, str]]) -> list[str]:
    return [_wan(label, _get(row, col)) for label, col in parts if _get(row, col) is not None]


def budget_execution(year: int, budget: pd.Series | None, rates: pd.Series | None) -> str:
    """二、当年预算执行情况."""
    if _get(budget, "full_year_budget") is None or _get(budget, "executed") is None:
        return ""
    text = (
        f"{year} 年{_wan('全年预算数', _get(budget, 'full_year_budget'))}，"
        f"{_wan('资金支出数', _get(budget, 'executed'))}"
    )
    parts = _clauses(
        budget,
        [
            ("基本支出", "basic_executed"),
            ("项目支出", "project_executed"),
            ("其他支出", "other_executed"),
        ],
    )
    if parts:
        text += "，其中：" + "，".join(parts)
    text += "。"
    if _get(rates, "execution_rate") is not None:
        text += f"预算执行率为 {pct(_get(rates, 'execution_rate'))}。"
    return text


def _nonfiscal(budget: pd.Series | None) -> str:
    total = _get(budget, "carryover_nonfiscal")
    if total is None:
        return ""
    text = _wan("非财政拨款结转", total)
    # The extract does not split non-fiscal carryover yet; when it carries the project
    # part, the seed's wording follows ("…均为项目支出结转").
    project = _get(budget, "carryover_nonfiscal_project")
    if project is not None and total:
        text += (
            "均为项目支出结转" if project == total else f"，其中项目支出结转 {amount(project)} 万元"
        )
    return text


def carryover(year: int, name: str, budget: pd.Series | None, rates: pd.Series | None) -> str:
    """四（四）结转结余率."""
    full, total = _get(budget, "full_year_budget"), _get(budget, "carryover_total")
    if full is None or total is None:
        return ""
    text = f"{year} 年{name}全年预算数为 {amount(full)} 万元，{_wan('年末收支结转和结余', total)}"
    fiscal = ""
    if _get(budget, "carryover_fiscal") is not None:
        fiscal = _wan("财政拨款结转结余", _get(budget, "carryover_fiscal"))
        parts = _clauses(
            budget,
            [
                ("基本支出结转和结余", "carryover_fiscal_basic"),
                ("项目经费结转和结余", "carryover_fiscal_project"),
            ],
        )
        if parts:
            fiscal += "，包括" + "，".join(parts)
    details = [part for part in (fiscal, _nonfiscal(budget)) if part]
    if details:
        text += "，其中：" + "；".join(details)
    text += "。"
    if _get(rates, "carryover_rate") is not None:
        text += f"{year} 年结转结余率 {pct(_get(rates, 'carryover_rate'))}。"
    return text


def budget_final_difference(year: int, budget: pd.Series | None, rates: pd.Series | None) -> str:
    """四（五）部门预决算差异率."""
    initial, final = _get(budget, "initial_budget"), _get(budget, "final_accounts")
    if initial is None or final is None:
        return ""
    text = (
        f"{year} 年{_wan('年初预算数', initial)}，{_wan('决算数', final)}，"
        f"差额为 {amount(final - initial)} 万元"
    )
    if _get(rates, "budget_final_diff_rate") is not None:
        text += f"，预决算差异率 {pct(_get(rates, 'budget_final_diff_rate'))}"
    return text + "。"


def conclusion(year: int, name: str, total, grade: str) -> str:
    """五（一）评价得分情况. The seed opens with 经内部评议 (its own review); these
    scores come from the rubric, so the report says 经评价."""
    word = GRADE_WORDS.get(grade, grade)
    return (
        f"经评价，{year} 年{name}部门支出绩效评价综合得分 {score(total)} 分，"
        f"绩效评定结论为“{word}”。"
    )
