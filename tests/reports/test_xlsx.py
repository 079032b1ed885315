"""The workbooks are real files that Excel (here openpyxl) opens, formatted for reading."""

from datetime import datetime

import openpyxl

from pipelines.reports import xlsx
from tests.reports.conftest import query

DEPARTMENT_SHEETS = ["概况", "评价得分", "评分表", "失分", "发现问题", "排名"]
SUMMARY_SHEETS = ["概况", "排名", "等级分布", "分项得分率", "失分指标", "发现问题"]


def test_department_workbook(bj_fao):
    wb = openpyxl.load_workbook(bj_fao["xlsx"])
    assert wb.sheetnames == DEPARTMENT_SHEETS
    overview = wb["概况"]
    assert [c.value for c in overview[1]] == ["项目", "内容", "单位 / 说明"]
    total = next(row[1] for row in overview.iter_rows(min_row=2) if row[0].value == "综合得分")
    assert total.value == 94.83
    assert total.number_format == "0.00"
    amounts = {row[0].value: row[1] for row in overview.iter_rows(min_row=2)}
    assert amounts["全年预算数"].value == 19347.12
    assert amounts["全年预算数"].number_format == "#,##0.00"
    assert amounts["结转结余率"].value == 5.85
    for ws in wb:
        assert ws.freeze_panes == "A2", ws.title
        assert all(c.font.bold for c in ws[1]), ws.title
        assert ws.column_dimensions["A"].width > 5, ws.title
    scores = wb["评分表"]
    assert [c.value for c in scores[1]][:3] == ["一级指标", "二级指标", "三级指标"]
    assert [c.value for c in scores[1]][3:7] == ["指标值", "完成值", "分值", "得分"]
    assert scores.max_row == 1 + 15 + 1 + 5  # the lines, 合计, whose table it is
    assert scores["G2"].value == 18.83 and scores["G2"].number_format == "0.00"
    assert scores["D2"].value == 19347.12 and scores["E2"].value == 18214.74  # numbers
    assert scores["A3"].value == "整体绩效目标实现情况（60）" and "A3:A9" in scores.merged_cells
    assert scores["B3"].value == "产出（30）" and "B3:B6" in scores.merged_cells
    assert (scores["D10"].value, scores["E10"].value) == ("3 项标准", "0 项不合格")
    assert scores["A17"].value == "合计" and scores["G17"].value == 94.83  # the seed's total
    assert "A17:E17" in scores.merged_cells and "B19:E19" in scores.merged_cells
    assert scores["D2"].number_format == "#,##0.00" and scores["H2"].data_type == "s"
    assert scores["B21"].value == "北京市"
    assert wb["失分"].max_row == 1 + 3
    ranking = wb["排名"]
    assert ranking["B2"].value == ranking["B2"].value // 1 and ranking["C2"].value == 40


def test_the_workbook_says_rubric_hash_and_run(bj_fao):
    overview = openpyxl.load_workbook(bj_fao["xlsx"])["概况"]
    facts = {row[0].value: row[1].value for row in overview.iter_rows(min_row=2)}
    assert facts["评分规则"] == "beijing/2023"
    assert len(facts["规则哈希（前 12 位）"]) == 12
    assert facts["运行编号"] == "run-2023"


def test_the_document_properties_are_the_runs(bj_fao):
    props = openpyxl.load_workbook(bj_fao["xlsx"]).properties
    assert props.creator == props.lastModifiedBy == "jixiao"
    assert props.created == props.modified  # the run's, not the build's


def test_summary_workbook(built, warehouse):
    (scored,) = query(warehouse, "SELECT count(*) FROM v_rankings WHERE year = 2023")[0]
    wb = openpyxl.load_workbook(built / "2023" / "beijing" / "summary.xlsx")
    assert wb.sheetnames == SUMMARY_SHEETS
    ranking = wb["排名"]
    assert ranking["A1"].value == "排名" and ranking.max_row == 1 + scored
    assert ranking["E2"].number_format == "0.00"
    shares = wb["分项得分率"]
    assert [c.value for c in shares[1]][:3] == ["排名", "部门编码", "部门名称"]
    assert shares.max_row == 1 + scored
    for ws in wb:
        assert ws.freeze_panes == "A2" and all(c.font.bold for c in ws[1]), ws.title


def test_the_same_sheets_give_the_same_bytes():
    sheets = [xlsx.Sheet("表", {"名称": None, "得分": xlsx.SCORE}, [["甲", 18.83], ["乙", None]])]
    once = xlsx.workbook_bytes(sheets, datetime(2024, 3, 1, 12, 30))
    assert xlsx.workbook_bytes(sheets, datetime(2024, 3, 1, 12, 30)) == once
    assert xlsx.workbook_bytes(sheets, datetime(2025, 3, 1, 12, 30)) != once
