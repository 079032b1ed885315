"""The city-wide summary as an Excel workbook (helpers in ``xlsx``)."""

from __future__ import annotations

from openpyxl import Workbook

from pipelines.reports.numbers import number
from pipelines.reports.summary import SummaryReport
from pipelines.reports.xlsx import INT, RATE, SCORE, TEXT, add_sheet, new_workbook

OVERVIEW = {"项目": TEXT, "内容": TEXT}
RANKING = {
    "排名": INT, "部门编码": TEXT, "部门名称": TEXT, "类别": TEXT, "综合得分": SCORE,
    "绩效评定级别": TEXT, "同类排名": INT, "同类部门数": INT, "百分位（%）": "0.0",
    "上年综合得分": SCORE, "上年排名": INT, "得分变化": SCORE, "名次变化": INT,
}  # fmt: skip
RANKING_KEYS = [
    "rank", "dept_code", "dept_name", "category", "total_score", "grade", "category_rank",
    "category_out_of", "percentile", "prior_total", "prior_rank", "total_change", "rank_change",
]  # fmt: skip
GRADES = {"绩效评定级别": TEXT, "部门数": INT, "占比（%）": "0.0"}
TOP_LOST = {
    "指标编码": TEXT, "指标": TEXT, "一级指标": TEXT, "失分合计": SCORE, "失分部门数": INT,
    "参评部门数": INT, "失分部门平均失分": SCORE,
}  # fmt: skip
TOP_LOST_KEYS = ["line_code", "name", "section", "lost", "departments", "scored", "mean_lost"]
FINDINGS = {"级别": TEXT, "代码": TEXT, "条数": INT, "示例部门": TEXT, "示例说明": TEXT}


def _sample(finding: dict, code: str) -> tuple[str | None, str | None]:
    sample = next((x for x in finding["samples"] if x["code"] == code), None)
    return (None, None) if sample is None else (sample["dept"], sample["message"])


def summary_workbook(s: SummaryReport) -> Workbook:
    wb = new_workbook()
    overview = [
        ("年度", s.year), ("地区", s.jurisdiction), ("评分规则", s.meta["rubric_id"]),
        ("规则哈希（前 12 位）", s.meta["rubric_hash"]), ("运行编号", s.meta["run_id"]),
        ("报送部门数", s.stats["staged"]), ("参评部门数", s.stats["scored"]),
        ("综合得分中位数", number(s.stats["median"])),
    ]  # fmt: skip
    add_sheet(wb, "概况", OVERVIEW, overview)
    add_sheet(wb, "排名", RANKING, [[d[k] for k in RANKING_KEYS] for d in s.rankings])
    add_sheet(wb, "等级分布", GRADES, s.grade_counts)
    columns = {"排名": INT, "部门编码": TEXT, "部门名称": TEXT}
    columns |= {f"{name}（%）": RATE for name in s.sections}
    shares = [(x["rank"], x["dept_code"], x["dept_name"], *x["shares"]) for x in s.heatmap]
    add_sheet(wb, "分项得分率", columns, shares)
    add_sheet(wb, "失分指标", TOP_LOST, [[x[k] for k in TOP_LOST_KEYS] for x in s.top_lost])
    findings = [
        (f["label"], code, n, *_sample(f, code)) for f in s.findings for code, n in f["codes"]
    ]
    add_sheet(wb, "发现问题", FINDINGS, findings)
    return wb
