"""BJ-FAO 2023 reads as its published self-evaluation (seeds/000_1caa9b1342e44927.txt)."""

import re

import pytest

from pipelines.reports.numbers import amount, score, signed
from pipelines.reports.ranking import movement
from tests.reports.conftest import SEED_TEXT, query
from tests.reports.dom import Page

SENTENCES = [
    "预算执行率为 94.15%",
    "2023 年结转结余率 5.85%",
    "预决算差异率 18.62%",
    "2023 年全年预算数 19347.12 万元，资金支出数 18214.74 万元，其中：基本支出 9432.24 万元，"
    "项目支出 8782.5 万元。预算执行率为 94.15%。",
    "2023 年市外办全年预算数为 19347.12 万元，年末收支结转和结余 1132.39 万元，其中：财政拨款"
    "结转结余 785.89 万元，包括基本支出结转和结余 504.02 万元，项目经费结转和结余 281.87 万元；"
    "非财政拨款结转 346.5 万元",
    "2023 年年初预算数 15355.12 万元，决算数 18214.74 万元，差额为 2859.62 万元，"
    "预决算差异率 18.62%。",
    "2023 年市外办部门支出绩效评价综合得分 94.83 分，绩效评定结论为“优秀”。",
]
SUMMARY_ROWS = [
    ["当年预算执行情况", "20.00", "18.83"],
    ["整体绩效目标实现情况", "60.00", "56.00"],
    ["预算管理情况", "20.00", "20.00"],
    ["综合得分", "100.00", "94.83"],
    ["绩效评定级别", "优"],
]


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("sentence", SENTENCES)
def test_the_sentences_are_the_published_ones(bj_fao, sentence):
    # The PDF's spacing is inconsistent ("2023年" beside "2023 年"): compared without it.
    assert squeeze(sentence) in squeeze(SEED_TEXT.read_text(encoding="utf-8"))
    for ext in ("md", "html"):
        assert sentence in bj_fao[ext].read_text(encoding="utf-8"), ext


def test_the_markdown_summary_table(bj_fao):
    text = bj_fao["md"].read_text(encoding="utf-8")
    for row in SUMMARY_ROWS[:-1]:
        assert f"| {' | '.join(row)} |" in text
    assert "| 绩效评定级别 | | 优 |" in text


def test_the_html_summary_table_and_testids(bj_fao):
    page = Page(bj_fao["html"].read_text(encoding="utf-8"))
    assert page.tables["summary-table"][1:] == SUMMARY_ROWS
    assert page.text("total") == "94.83"
    assert page.text("grade") == "优"
    assert "section-chart" in page.svg_inside


def test_the_report_states_rubric_hash_and_run(bj_fao):
    for ext in ("md", "html"):
        text = bj_fao[ext].read_text(encoding="utf-8")
        assert "beijing/2023" in text and "run-2023" in text
        assert re.search(r"规则哈希（前 12 位）[：<>/a-z\s]*[0-9a-f]{12}\b", text), ext


def test_the_score_table_lost_points_and_ranking(bj_fao):
    page = Page(bj_fao["html"].read_text(encoding="utf-8"))
    rows = page.tables["score-table"]
    assert rows[0] == ["一级指标", "二级指标", "三级指标", "指标值", "完成值", "分值", "得分"]
    assert ["整体绩效目标实现情况（60）", "产出（30）", "推进国际交往中心功能建设成效显著提升",
            "优", "优", "7.50", "7.50"] in rows  # fmt: skip
    assert ["合计", "100.00", "94.83"] == rows[-1]
    lost = page.tables["lost-points"]
    assert [r[1] for r in lost[1:-1]] == [
        "资金总体",
        "不断提升首都国际化水平",
        "保障境外人员生命安全和身体健康",
    ]
    assert lost[-1][:2] == ["合计失分", "5.17"]
    assert "94.15% × 20 = 18.83" in lost[1][5]
    ranking = dict(page.tables["ranking"])
    assert ranking["全市排名"].startswith("第 ") and "共 40 个部门" in ranking["全市排名"]
    assert ranking["上年（2022 年）"] == "无评分记录，无法比较"


def test_a_department_scored_last_year_shows_its_change(built, warehouse):
    code, prior_total, change, rank_change = query(
        warehouse,
        """SELECT dept_code, prior_total, total_change, rank_change FROM v_rankings
           WHERE year = 2023 AND rank_change <> 0 ORDER BY dept_code LIMIT 1""",
    )[0]
    text = (built / "2023" / "beijing" / "departments" / f"{code}.md").read_text(encoding="utf-8")
    assert f"| 上年（2022 年）综合得分 | {score(prior_total)} |" in text
    assert f"| 得分变化 | {signed(change)} 分 |" in text
    assert f"| 名次变化 | {movement(rank_change)} |" in text
    assert movement(rank_change).startswith("上升" if rank_change > 0 else "下降")


def test_no_report_prints_none_or_nan(built, warehouse):
    files = [p for p in built.rglob("*") if p.suffix in (".md", ".html")]
    (scored,) = query(warehouse, "SELECT count(*) FROM v_rankings WHERE year = 2023")[0]
    assert len(files) == scored * 2 + 2  # pages, Markdown, the summary and the index
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"\bNone\b|\bnan\b|\bNaN\b|\bNaT\b", text), path.name


def test_missing_carryover_parts_drop_their_clause(built, warehouse):
    code, fiscal, nonfiscal = query(
        warehouse,
        """SELECT dept_code, carryover_fiscal, carryover_nonfiscal FROM staged_budget
           WHERE year = 2023 AND carryover_fiscal IS NOT NULL AND carryover_nonfiscal IS NOT NULL
             AND carryover_fiscal_basic IS NULL AND carryover_fiscal_project IS NULL
           ORDER BY dept_code LIMIT 1""",
    )[0]
    text = (built / "2023" / "beijing" / "departments" / f"{code}.md").read_text(encoding="utf-8")
    sentence = next(line for line in text.splitlines() if "年末收支结转和结余" in line)
    assert (
        f"财政拨款结转结余 {amount(fiscal)} 万元；非财政拨款结转 {amount(nonfiscal)} 万元。"
        in sentence
    )
    assert "包括" not in sentence
