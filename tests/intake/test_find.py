"""Finding figures in text as documents give it: broken lines and pages, radicals for
characters, garbled cells, a figure stated twice. Values are read off each text."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pipelines.intake.find import Finder, Names, Target, figures
from pipelines.intake.flatten import flatten
from pipelines.intake.numbers import read_number
from pipelines.intake.rules import rules

NAMES = Names(
    sections={"budget_execution": "当年预算执行情况"},
    lines={"budget_execution": "资金总体", "budget_final_diff": "部门预决算差异率"},
)


def found(text: str) -> dict[Target, object]:
    flat = flatten(text, rules().layout)
    return figures(Finder(flat, rules(), NAMES).mentions())


def value(text: str, kind: str, key: str):
    figure = found(text)[Target(kind, key)]
    return figure.chosen.value if figure.chosen else None


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("19,347.12", Decimal("19347.12")),
        ("8782.5", Decimal("8782.5")),
        ("94.15%", Decimal("94.15")),
        ("94.15 %", Decimal("94.15")),
        ("18.6213.01% %", None),  # the seed's garbled cell: two numbers run together
        ("18.6213.01%", None),
        ("1,93,47.12", None),  # not thousands
        ("94.15%%", None),
    ],
)
def test_a_printed_number_is_one_number_or_none(printed, expected):
    assert read_number(printed) == expected


def test_a_figure_broken_across_lines_and_a_page():
    text = (
        "2023年全年预算数 19347.12 万元，资金支出数 18214.74\n\n7\n\n"
        "万元，其中：基本支出 9432.24 万元。"
    )
    assert value(text, "amount", "executed") == Decimal("18214.74")
    assert value(text, "amount", "full_year_budget") == Decimal("19347.12")
    flat = flatten(text, rules().layout)
    assert " 7 " not in flat.text  # the page number is gone


def test_a_phrase_broken_across_lines_and_given_as_radicals():
    # 资⾦⽀出数 as a PDF's text layer gives it: ⾦ U+2FA6 and ⽀ U+2F40 are Kangxi
    # radicals; 部⻔ (U+2ED4) a CJK radical supplement character
    text = "部⻔资⾦⽀\n出数 100.50 万元。"
    assert value(text, "amount", "executed") == Decimal("100.50")
    assert flatten(text, rules().layout).text == "部门资金支出数 100.50 万元。"


def test_justified_spacing_goes_but_table_cells_keep_theirs():
    flat = flatten("单 时 ， 汇 率\n资产管理规范性 优 优     4.00    4.00", rules().layout)
    assert flat.text == "单时，汇率资产管理规范性 优 优 4.00 4.00"


def test_a_garbled_table_cell_is_kept_unread_and_the_readable_statement_wins():
    text = "预决算差异率 18.62%。\n部门预决算差异率（4） 18.6213.01% %     4.00    4.00"
    figure = found(text)[Target("rate", "budget_final_diff")]
    assert figure.chosen.value == Decimal("18.62")
    assert [(m.printed, m.quote) for m in figure.unreadable] == [
        ("18.6213.01% %", "部门预决算差异率（4） 18.6213.01% % 4.00 4.00")
    ]
    assert value(text, "line", "budget_final_diff") == Decimal("4.00")


def test_only_a_garbled_rate_is_no_figure():
    figure = found("部门预决算差异率（4） 18.6213.01% % 4.00 4.00")[
        Target("rate", "budget_final_diff")
    ]
    assert figure.chosen is None and figure.unreadable


def test_a_figure_stated_twice_differently_keeps_the_first_and_shows_the_other():
    text = "预算执行率为 94.15%。\n资金总体 19,347.12 18,214.74 94.10% 20.00 18.83"
    figure = found(text)[Target("rate", "budget_execution")]
    assert figure.chosen.printed == "94.15%"
    assert [m.printed for m in figure.conflicting] == ["94.10%"]


def test_a_phrase_inside_a_longer_one_does_not_count():
    text = "非财政拨款结转结余 346.5 万元，财政拨款结转结余 785.89 万元。"
    assert value(text, "amount", "carryover_nonfiscal") == Decimal("346.5")
    assert value(text, "amount", "carryover_fiscal") == Decimal("785.89")


def test_units_become_wan_yuan():
    assert value("全年预算数为 193,471,200 元。", "amount", "full_year_budget") == Decimal(
        "19347.1200"
    )
    assert value("全年预算数为 1.93 亿元。", "amount", "full_year_budget") == Decimal("19300")


def test_a_heading_followed_by_a_year_is_no_score():
    text = (
        "（四）结转结余率\n2023 年结转结余率 5.85%。\n"
        "（五）部门预决算差异率\n2023 年年初预算数 1 万元。"
    )
    got = found(text)
    assert Target("line", "budget_final_diff") not in got
    assert got[Target("rate", "carryover_rate")].chosen.quote == "2023 年结转结余率 5.85%。"


def test_section_and_total_of_the_summary_table_and_the_grade_in_quotes():
    text = "当年预算执行情况 20.00 18.83\n综合得分 100.00 94.83\n绩效评定结论为“优秀”。"
    assert value(text, "section", "budget_execution") == Decimal("18.83")
    assert value(text, "total", "TOTAL") == Decimal("94.83")
    assert value(text, "grade", "TOTAL") == "优"
