"""One department's report content, built once and printed by every format.

Values stay raw (floats, None) for the spreadsheet and are formatted by the
renderers with ``numbers``; sentences come from ``narrative``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from pipelines.messages import current, label, say
from pipelines.messages.sql import suffix
from pipelines.reports import drafts as drafting
from pipelines.reports import narrative
from pipelines.reports.data import DepartmentData, has, localized, value
from pipelines.reports.numbers import dec, integer

# A checklist line's target and actual as the warehouse writes them ("6 criteria",
# "1 failed"): shown as report.checklist.* in the current language. A warehouse that
# renders them itself gives other text, shown as it is.
CHECKLIST = {
    "criteria": re.compile(r"^(\d+) criteria$"),
    "failed": re.compile(r"^(\d+) failed$"),
}
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def severity_label(severity: object) -> str:
    """error → 错误 (report.severity.*); an unknown severity as itself."""
    return label("report.severity", str(severity))


@dataclass
class Header:
    year: int
    dept_code: str
    dept_name: str
    jurisdiction: str
    category: str | None
    rubric_id: str
    rubric_hash: str  # first 12 characters
    run_id: str
    # the same department's page of the year before and after (site.py), when scored
    prev_page: str | None = None
    next_page: str | None = None


@dataclass
class ScoreRow:
    section_name: str
    section_weight: float | None
    section_rowspan: int  # 0: the cell above spans this row
    group_name: str | None  # None: a line with no group (its name spans both columns)
    group_weight: float | None
    group_rowspan: int
    line_code: str
    line_name: str
    subgroup: str | None
    target: str | None
    actual: str | None
    weight: float | None
    score: float | None
    explanation: str | None

    @cached_property  # weight and score never change once the row is built
    def lost(self) -> float:
        if not self.weight or self.score is None:
            return 0.0
        return float(dec(self.weight) - dec(self.score))


@dataclass
class ExecutionRow:
    label: str
    budget: float | None
    executed: float | None
    rate: float | None


@dataclass
class Finding:
    severity: str
    severity_label: str
    code: str
    line: str | None
    message: str


@dataclass
class DepartmentReport:
    header: Header
    total: float
    uncapped_total: float | None
    grade: str
    sentences: dict[str, str]  # execution, carryover, difference, conclusion
    execution: list[ExecutionRow]
    amounts: dict[str, float | None]  # budget column (万元) → amount (report.amount.*)
    rates: dict[str, float | None]  # rate column (%) → rate (report.rate.*)
    sections: list[dict]  # name, weight, score, city_median
    score_rows: list[ScoreRow]
    findings: list[Finding]
    ranking: dict
    weight_total: float  # the sections' weights: 100 under the Beijing rubrics
    # drafts of 存在的问题 and 措施建议 (reports/drafts/); None: the data had no drafts read
    drafts: drafting.Drafts | None = None

    @cached_property  # the rows never change once the report is built
    def lost_rows(self) -> list[ScoreRow]:
        return [r for r in self.score_rows if r.score is not None and r.lost > 0]

    @cached_property
    def lost_total(self) -> float:
        return round(sum(r.lost for r in self.lost_rows), 2)


LOCALIZED = ("target", "actual", "explanation")


def localized_column(rows: list[Mapping], column: str) -> str:
    """The name ``data.localized`` reads ``column`` under, in these rows."""
    name = column + suffix(current())
    return name if rows and has(rows[0], name) else column


def display(text: str | None) -> str | None:
    if text is None or not text[:1].isdigit():  # the patterns start with a count
        return text
    for key, pattern in CHECKLIST.items():
        match = pattern.match(text)
        if match:
            return say(f"report.checklist.{key}", n=match[1])
    return text


def _score_rows(d: DepartmentData) -> list[ScoreRow]:
    sections = {r["section"]: r for r in d.sections}
    groups = {(r["section"], r["group"]): r for r in d.groups}
    rows: list[ScoreRow] = []
    # the sentence columns of the current language (data.localized), looked up once
    target, actual, explanation = (localized_column(d.lines, c) for c in LOCALIZED)
    nothing: dict = {}
    for line in d.lines:  # rows of data.records: plain values, None where missing
        get = line.get
        section = sections.get(line["section"]) or nothing
        group_code = get("group")
        group = nothing if group_code is None else groups.get((line["section"], group_code))
        group = group or nothing
        rows.append(
            ScoreRow(
                section_name=section.get("name") or str(line["section"]),
                section_weight=section.get("weight"),
                section_rowspan=1,
                group_name=None if group_code is None else group.get("name") or str(group_code),
                group_weight=group.get("weight"),
                group_rowspan=1,
                line_code=str(line["line_code"]),
                line_name=get("name") or str(line["line_code"]),
                subgroup=get("subgroup"),
                target=display(get(target)),
                actual=display(get(actual)),
                weight=get("weight"),
                score=get("final_score"),
                explanation=get(explanation),
            )
        )
    _merge_spans(rows)
    return rows


def _merge_spans(rows: list[ScoreRow]) -> None:
    """Merge equal consecutive section cells and group cells, as the seed's table does."""
    for i, row in enumerate(rows):
        prev = rows[i - 1] if i else None
        if prev and prev.section_name == row.section_name:
            row.section_rowspan = 0
            head = next(r for r in reversed(rows[:i]) if r.section_rowspan)
            head.section_rowspan += 1
        same_group = prev and row.group_name is not None and prev.group_name == row.group_name
        if same_group and prev.section_name == row.section_name:
            row.group_rowspan = 0
            head = next(r for r in reversed(rows[:i]) if r.group_rowspan)
            head.group_rowspan += 1


def _execution(budget: Mapping | None, rates: Mapping | None) -> list[ExecutionRow]:
    rows = [
        ("total", "full_year_budget", "executed", "execution_rate"),
        ("basic", "basic_budget", "basic_executed", "basic_execution_rate"),
        ("project", "project_budget", "project_executed", "project_execution_rate"),
        ("other", "other_budget", "other_executed", "other_execution_rate"),
    ]
    out = []
    for key, planned, spent, rate in rows:
        row = ExecutionRow(
            say(f"report.execution.{key}"),
            value(budget, planned),
            value(budget, spent),
            value(rates, rate),
        )
        if key == "total" or row.budget is not None or row.executed is not None:
            out.append(row)
    return out


# The overview's amounts and rates, by column; labelled report.amount.<column> and
# report.rate.<column>.
AMOUNTS = [
    "full_year_budget", "executed", "initial_budget", "final_accounts", "carryover_total",
    "carryover_fiscal", "carryover_fiscal_basic", "carryover_fiscal_project",
    "carryover_nonfiscal",
]  # fmt: skip
RATES = ["execution_rate", "carryover_rate", "budget_final_diff_rate"]


def _findings(d: DepartmentData, line_names: dict[str, str]) -> list[Finding]:
    out = []
    for f in d.findings:
        code = value(f, "line_code")
        out.append(
            Finding(
                severity=str(f["severity"]),
                severity_label=severity_label(f["severity"]),
                code=str(f["code"]),
                line=None if code is None else line_names.get(code, code),
                message=localized(f, "message") or "",
            )
        )
    return sorted(out, key=lambda f: (SEVERITY_ORDER.get(f.severity, 9), f.code, f.line or ""))


def _ranking(info: Mapping, year: int) -> dict:
    keys = ["rank", "rank_out_of", "category_rank", "category_out_of", "prior_rank", "rank_change"]
    out = {k: integer(value(info, k)) for k in keys}
    for k in ("percentile", "prior_total", "total_change"):
        out[k] = value(info, k)
    out["category"] = value(info, "category")
    out["prior_year"] = year - 1
    return out


def _section_order(section: Mapping) -> tuple[bool, object]:
    order = value(section, "section_order")
    return (order is None, order)


def _drafts(d: DepartmentData, year: int, rows: list[ScoreRow]) -> drafting.Drafts | None:
    if d.drafts is None:
        return None
    why = {r.line_code: r.explanation for r in rows if r.explanation}
    where = str(value(d.info, "jurisdiction") or "")
    return drafting.render(d.drafts, str(d.info["dept_code"]), where, year, why)


def build(d: DepartmentData, year: int) -> DepartmentReport:
    info = d.info
    name = str(value(info, "dept_name") or info["dept_code"])
    short = narrative.short_name(name)
    total, grade = value(info, "total_score"), str(value(info, "grade") or "")
    rows = _score_rows(d)
    sections = [
        {
            "name": value(s, "name") or s["section"],
            "weight": value(s, "weight"),
            "score": value(s, "score"),
            "city_median": value(s, "city_median"),
        }
        for s in sorted(d.sections, key=_section_order)
    ]
    return DepartmentReport(
        header=Header(
            year=year,
            dept_code=str(info["dept_code"]),
            dept_name=name,
            jurisdiction=str(value(info, "jurisdiction") or ""),
            category=value(info, "category"),
            rubric_id=str(value(info, "rubric_id") or ""),
            rubric_hash=str(value(info, "rubric_hash") or "")[:12],
            run_id=str(value(info, "run_id") or ""),
            prev_page=value(info, "prev_page"),
            next_page=value(info, "next_page"),
        ),
        total=total,
        uncapped_total=value(info, "uncapped_total"),
        grade=grade,
        sentences={
            "execution": narrative.budget_execution(year, d.budget, d.rates),
            "carryover": narrative.carryover(year, short, d.budget, d.rates),
            "difference": narrative.budget_final_difference(year, d.budget, d.rates),
            "conclusion": narrative.conclusion(year, short, total, grade),
        },
        execution=_execution(d.budget, d.rates),
        amounts={col: value(d.budget, col) for col in AMOUNTS},
        rates={col: value(d.rates, col) for col in RATES},
        sections=sections,
        score_rows=rows,
        findings=_findings(d, {r.line_code: r.line_name for r in rows}),
        ranking=_ranking(info, year),
        weight_total=float(sum(dec(s["weight"]) or 0 for s in sections)),
        drafts=_drafts(d, year, rows),
    )
