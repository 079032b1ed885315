"""Excel workbooks (openpyxl): one sheet per part of a report, Chinese headers,
number formats, a frozen header row, and byte-identical files for the same inputs."""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from pipelines.reports.department import DepartmentReport
from pipelines.reports.numbers import number
from pipelines.reports.ranking import movement

SCORE, AMOUNT, RATE, INT, TEXT = "0.00", "#,##0.00", "0.00", "0", None
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="EEF2F7")
WRAP = Alignment(wrap_text=True, vertical="top")
MAX_WIDTH = 60
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def _width(value: object) -> int:
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell(value: object, fmt: str | None) -> object:
    return number(value) if fmt in (SCORE, AMOUNT, RATE) and value is not None else value


def _shown(value: object, fmt: str | None) -> str:
    if isinstance(value, int | float) and fmt:
        return f"{value:,.2f}"
    return "" if value is None else str(value)


def add_sheet(
    wb: Workbook, title: str, columns: dict[str, str | None], rows: Iterable[Sequence]
) -> None:
    """``columns``: Chinese header → number format (None: text)."""
    ws = wb.create_sheet(title)
    formats = list(columns.values())
    ws.append(list(columns))
    for row in rows:
        ws.append([_cell(v, fmt) for v, fmt in zip(row, formats, strict=True)])
    for c in ws[1]:
        c.font, c.fill = HEADER_FONT, HEADER_FILL
    for j, (name, fmt) in enumerate(columns.items(), start=1):
        widest = _width(name)
        for (c,) in ws.iter_rows(min_row=2, min_col=j, max_col=j):
            if fmt:
                c.number_format = fmt
            widest = max(widest, _width(_shown(c.value, fmt)))
            if isinstance(c.value, str) and _width(c.value) > MAX_WIDTH:
                c.alignment = WRAP
        ws.column_dimensions[get_column_letter(j)].width = min(widest + 2, MAX_WIDTH)
    ws.freeze_panes = "A2"


def save(wb: Workbook, path: Path, when: datetime) -> None:
    """Write the workbook with fixed timestamps, in the document properties and in
    the zip entries alike, so the same inputs give the same bytes."""
    wb.properties.created = wb.properties.modified = when
    wb.properties.creator = wb.properties.lastModifiedBy = "jixiao"
    raw = io.BytesIO()
    ExcelWriter(wb, ZipFile(raw, "w", ZIP_DEFLATED, allowZip64=True)).save()
    out = io.BytesIO()
    with ZipFile(raw) as src, ZipFile(out, "w", ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = ZipInfo(info.filename, date_time=ZIP_EPOCH)
            entry.compress_type, entry.external_attr = ZIP_DEFLATED, 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    path.write_bytes(out.getvalue())


def new_workbook() -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    return wb


OVERVIEW = {"项目": TEXT, "内容": TEXT, "单位 / 说明": TEXT}
SECTIONS = {"评价内容": TEXT, "分值": SCORE, "评价得分": SCORE, "全市中位数": SCORE}
SCORE_TABLE = {
    "一级指标": TEXT, "二级指标": TEXT, "三级指标": TEXT, "指标编码": TEXT, "子类": TEXT,
    "指标值": TEXT, "完成值": TEXT, "分值": SCORE, "得分": SCORE, "失分": SCORE,
}  # fmt: skip
LOST = {
    "一级指标": TEXT, "指标编码": TEXT, "指标": TEXT, "分值": SCORE, "得分": SCORE,
    "失分": SCORE, "计算过程": TEXT,
}  # fmt: skip
FINDINGS = {"级别": TEXT, "代码": TEXT, "指标": TEXT, "说明": TEXT}
RANKING = {
    "年度": INT, "全市排名": INT, "参评部门数": INT, "类别": TEXT, "同类排名": INT,
    "同类部门数": INT, "百分位（%）": "0.0", "综合得分": SCORE, "绩效评定级别": TEXT,
    "上年综合得分": SCORE, "上年排名": INT, "得分变化": SCORE, "名次变化": TEXT,
}  # fmt: skip


def _overview_rows(r: DepartmentReport) -> list[tuple]:
    h, k = r.header, r.ranking
    rows = [
        ("部门编码", h.dept_code, None), ("部门名称", h.dept_name, None), ("年度", h.year, None),
        ("地区", h.jurisdiction, None), ("类别", h.category, None),
        ("评分规则", h.rubric_id, None), ("规则哈希（前 12 位）", h.rubric_hash, None),
        ("运行编号", h.run_id, None),
        ("综合得分", number(r.total), f"满分 {r.weight_total:.2f}"),
        ("绩效评定级别", r.grade, None),
        ("全市排名", k["rank"], f"共 {k['rank_out_of']} 个部门"),
    ]  # fmt: skip
    rows += [(label, number(v), "万元") for label, v in r.amounts.items()]
    rows += [(label, number(v), "%") for label, v in r.rates.items()]
    titles = {
        "execution": "二、当年预算执行情况",
        "carryover": "四（四）结转结余率",
        "difference": "四（五）部门预决算差异率",
        "conclusion": "五（一）评价得分情况",
    }
    return rows + [(title, r.sentences[key] or None, None) for key, title in titles.items()]


def department_workbook(r: DepartmentReport) -> Workbook:
    k = r.ranking
    wb = new_workbook()
    add_sheet(wb, "概况", OVERVIEW, _overview_rows(r))
    _number_formats(wb["概况"])
    sections = [(s["name"], s["weight"], s["score"], s["city_median"]) for s in r.sections]
    add_sheet(wb, "评价得分", SECTIONS, [*sections, ("综合得分", r.weight_total, r.total, None)])
    scores = [
        (x.section_name, x.group_name, x.line_name, x.line_code, x.subgroup, x.target, x.actual,
         x.weight, x.score, x.lost)
        for x in r.score_rows
    ]  # fmt: skip
    add_sheet(wb, "评分表", SCORE_TABLE, scores)
    lost = [
        (x.section_name, x.line_code, x.line_name, x.weight, x.score, x.lost, x.explanation)
        for x in r.lost_rows
    ]
    add_sheet(wb, "失分", LOST, lost)
    findings = [(f.severity_label, f.code, f.line, f.message) for f in r.findings]
    add_sheet(wb, "发现问题", FINDINGS, findings)
    ranking = (
        r.header.year, k["rank"], k["rank_out_of"], k["category"], k["category_rank"],
        k["category_out_of"], k["percentile"], r.total, r.grade, k["prior_total"],
        k["prior_rank"], k["total_change"], movement(k["rank_change"]),
    )  # fmt: skip
    add_sheet(wb, "排名", RANKING, [ranking])
    return wb


def _number_formats(ws) -> None:
    """The overview mixes text and numbers in one column: format each number by its unit."""
    for _, content, unit in ws.iter_rows(min_row=2):
        if isinstance(content.value, float):
            content.number_format = AMOUNT if unit.value == "万元" else SCORE
        if isinstance(content.value, str) and len(content.value) > 30:
            content.alignment = WRAP
    ws.column_dimensions["B"].width = MAX_WIDTH
