"""`jixiao intake report` on the seed, as text, as a Word document and as a PDF: the rows
it writes for BJ-FAO. Every expected figure and sentence is read off the seed's text
by hand (tests/fixtures/intake/fao-2023-self-evaluation.txt, by its headings)."""

from __future__ import annotations

import pytest

from tests.cli import jixiao
from tests.intake.conftest import FORMATS, of, rows, seed_report

# line_code → (reported_score, reported_value, measure, words of its sentence)
EXPECTED = {
    # 五（一）评价得分情况; 结论一览表 “绩效评定级别 优”
    "TOTAL": ("94.83", "优", "", "综合得分 94.83 分，绩效评定结论为“优秀”"),
    # 五（一）结论一览表
    "SECTION:budget_execution": ("18.83", "", "", "当年预算执行情况 20.00 18.83"),
    "SECTION:goal_achievement": ("56.00", "", "", "整体绩效目标实现情况 60.00 56.00"),
    "SECTION:budget_management": ("20.00", "", "", "预算管理情况 20.00 20.00"),
    # 评分表 一、资金总体; 二、当年预算执行情况 “预算执行率为 94.15%”
    "budget_execution": ("18.83", "94.15%", "", "预算执行率为 94.15%"),
    # 评分表 二、产出 / 效果 (names as the table prints them)
    "goal_01": ("7.50", "", "", "推进国际交往中心功能建设成效显著提升"),
    "goal_04": ("7.50", "", "", "全面提升首都外事干部正常水平和业务能力"),
    "goal_03": ("7.50", "", "", "积极开展京澳两地合作交流"),
    "goal_05": ("7.50", "", "", "及时有效处置各类涉外突发事件"),
    "goal_02": ("8.00", "", "", "不断提升首都国际化水平"),
    "goal_08": ("8.00", "", "", "保障境外人员生命安全和身体健康"),
    "goal_07": ("10.00", "", "", "积极开展城市外交"),
    # 评分表 三、预算管理情况
    "fin_system": ("1.00", "", "", "财务管理制度健全性 优 优 1.00 1.00"),
    "fund_compliance": ("2.00", "", "", "2.00 2.00"),
    "accounting_info": ("1.00", "", "", "会计基础信息完善性 优 优 1.00 1.00"),
    "asset_mgmt": ("4.00", "", "", "资产管理规范性 优 优 4.00 4.00"),
    "perf_mgmt": ("4.00", "", "", "绩效管理情况 优 优 4.00 4.00"),
    # 评分表 结转结余率 (2023 column); 四（四） “2023 年结转结余率 5.85%”
    "carryover_rate": ("4.00", "5.85%", "", "2023 年结转结余率 5.85%"),
    # 评分表 部门预决算差异率 (its rate cell garbled); 四（五） “预决算差异率 18.62%”
    "budget_final_diff": ("4.00", "18.62%", "", "预决算差异率 18.62%"),
    # 二、当年预算执行情况
    "full_year_budget": (
        "19347.12",
        "19347.12万元",
        "full_year_budget",
        "全年预算数 19347.12 万元",
    ),
    "executed": ("18214.74", "18214.74万元", "executed", "资金支出数 18214.74 万元"),
    "basic_executed": ("9432.24", "9432.24万元", "basic_executed", "基本支出 9432.24 万元"),
    "project_executed": ("8782.5", "8782.5万元", "project_executed", "项目支出 8782.5"),
    # 四（五）部门预决算差异率
    "initial_budget": ("15355.12", "15355.12万元", "initial_budget", "年初预算数 15355.12万元"),
    "final_accounts": ("18214.74", "18214.74万元", "final_accounts", "决算数 18214.74万元"),
    # 四（四）结转结余率
    "carryover_total": (
        "1132.39",
        "1132.39万元",
        "carryover_total",
        "年末收支结转和结余 1132.39 万元",
    ),
    "carryover_fiscal": (
        "785.89",
        "785.89万元",
        "carryover_fiscal",
        "财政拨款结转结余 785.89 万元",
    ),
    "carryover_fiscal_basic": (
        "504.02",
        "504.02万元",
        "carryover_fiscal_basic",
        "包括基本支出结转和结余 504.02 万元",
    ),
    "carryover_fiscal_project": (
        "281.87",
        "281.87万元",
        "carryover_fiscal_project",
        "项目经费结转和结余 281.87 万元",
    ),
    "carryover_nonfiscal": (
        "346.5",
        "346.5万元",
        "carryover_nonfiscal",
        "非财政拨款结转 346.5 万元均为项目支出结转",
    ),
}


@pytest.fixture(scope="module", params=FORMATS)
def intake(request, tmp_path_factory):
    """The seed in one format read into a copy of raw/2023: (format, command, raw dir)."""
    import shutil

    from tests.conftest import RAW

    raw = tmp_path_factory.mktemp(request.param) / "raw"
    shutil.copytree(RAW / "2023", raw / "2023")
    done = jixiao(
        "intake", "report", seed_report(request.param), "--year", 2023, "--dept", "BJ-FAO",
        "--raw-dir", raw,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return request.param, done, raw


def test_every_figure_is_written_with_its_sentence(intake):
    fmt, _, raw = intake
    written = of("BJ-FAO", raw / "2023" / "self_reported.csv")
    assert sorted(written) == sorted(EXPECTED)
    for line, (score, value, measure, words) in EXPECTED.items():
        row = written[line]
        assert (row["reported_score"], row["reported_value"], row["measure"]) == (
            score,
            value,
            measure,
        ), line
        source = row["source"]
        assert source.startswith(f"fao-2023-self-evaluation.{fmt}："), line
        assert words in source, (line, source)


def test_a_sentence_is_the_sentence_not_the_paragraph(intake):
    _, _, raw = intake
    written = of("BJ-FAO", raw / "2023" / "self_reported.csv")
    assert written["TOTAL"]["source"].endswith(
        "经内部评议，2023 年市外办部门支出绩效评价综合得分 94.83 分，绩效评定结论为“优秀”。"
    )
    assert written["carryover_nonfiscal"]["source"].endswith(
        "：非财政拨款结转 346.5 万元均为项目支出结转。"
    )


def test_the_unreadable_cell_is_reported_with_its_row_not_guessed(intake):
    _, done, raw = intake
    assert (
        "无法识别为一个数值，未采用：预决算差异率印作“18.6213.01% %”"
        "——“部门预决算差异率（4） 18.6213.01% % 4.00 4.00”"
    ) in done.stdout
    # the readable 18.62% of 四（五） is the one written, the garbled cell never
    written = of("BJ-FAO", raw / "2023" / "self_reported.csv")
    assert written["budget_final_diff"]["reported_value"] == "18.62%"


def test_it_says_what_it_wrote(intake):
    fmt, done, raw = intake
    first = done.stdout.splitlines()[0]
    assert first.startswith(f"BJ-FAO 2023 年度：从 {seed_report(fmt)} 读到 ")
    assert first.endswith(
        f"已写入 {raw / '2023' / 'self_reported.csv'} 30 行（替换该部门原有的 16 行）"
    )
    assert "  总分：94.83" in done.stdout
    assert "  全年预算数：19347.12 万元" in done.stdout
    assert "      “预算执行率为 94.15%。”" in done.stdout


def test_the_other_departments_rows_stay_as_they_were(intake):
    from tests.conftest import RAW

    _, _, raw = intake
    before = [r for r in rows(RAW / "2023" / "self_reported.csv") if r["dept_code"] != "BJ-FAO"]
    after = [r for r in rows(raw / "2023" / "self_reported.csv") if r["dept_code"] != "BJ-FAO"]
    assert [{k: v for k, v in r.items() if k != "measure"} for r in after] == before
    assert {r["measure"] for r in after} == {""}
    header = (raw / "2023" / "self_reported.csv").read_text("utf-8").splitlines()[0]
    assert header == "dept_code,line_code,reported_score,reported_value,source,measure"
