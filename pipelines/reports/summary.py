"""The city-wide summary of one year and jurisdiction: ranking, grades, section
heat map, the lines where most points were lost, and findings by severity."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pipelines.messages import say
from pipelines.reports.data import YearData, plain, records
from pipelines.reports.department import SEVERITY_ORDER, severity_label
from pipelines.reports.numbers import MISSING, integer

GRADE_ORDER = ["优", "良", "中", "差"]
TOP_LOST = 10
SAMPLES = 5
LABEL_CHARS = 16


@dataclass
class SummaryReport:
    year: int
    jurisdiction: str
    meta: dict  # rubric_id, rubric_hash, run_id (joined when a year has several)
    stats: dict
    rankings: list[dict]
    grade_counts: list[tuple[str, int, float]]
    sections: list[str]
    heatmap: list[dict]  # rank, dept_code, dept_name, shares (one per section, %)
    top_lost: list[dict]
    findings: list[dict]
    unscored: list[dict]


def _joined(frame: pd.DataFrame, column: str, width: int | None = None) -> str:
    values = sorted({str(v)[:width] for v in frame[column].dropna()})
    return say("report.list.enum").join(values) or MISSING


def _records(frame: pd.DataFrame, columns: list[str]) -> list[dict]:
    return records(frame[columns])


def _grades(grades: pd.DataFrame) -> list[tuple[str, int, float]]:
    order = {g: i for i, g in enumerate(GRADE_ORDER)}
    rows = sorted(grades.itertuples(), key=lambda r: (order.get(r.grade, 99), str(r.grade)))
    return [(str(r.grade), int(r.departments), float(r.share_pct)) for r in rows]


def _heatmap(depts: pd.DataFrame, sections: pd.DataFrame) -> tuple[list[str], list[dict]]:
    """Section names, and per department (in ranking order) its share of each section's
    weight achieved, in percent."""
    names = sections.drop_duplicates("section").sort_values(["section_order", "section"])
    weight = sections["weight"].where(sections["weight"] > 0)
    shares = sections.assign(share=100 * sections["score"] / weight)
    grid = shares.pivot_table(index="dept_code", columns="section", values="share", aggfunc="first")
    order = names["section"].tolist()
    present = [s for s in order if s in grid.columns]
    columns = [plain(grid[s]) for s in present]
    cells = dict(zip(grid.index, zip(*columns, strict=True), strict=True)) if columns else {}
    rows = []
    for d in records(depts[["rank", "dept_code", "dept_name"]]):
        row = cells.get(d["dept_code"])
        by_section = {} if row is None else dict(zip(present, row, strict=True))
        rows.append(
            {
                "rank": integer(d["rank"]),
                "dept_code": d["dept_code"],
                "dept_name": d["dept_name"] or d["dept_code"],
                "shares": [None if row is None else by_section.get(s) for s in order],
            }
        )
    return [str(n) for n in names["name"]], rows


def heatmap_label(row: dict) -> str:
    name = str(row["dept_name"])
    name = name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1] + "…"
    return say("report.chart.heatmap_row", rank=row["rank"], name=name)


def category_heatmap(report: SummaryReport) -> list[dict]:
    """Per category (in the order of its name, departments without one last) the mean
    of its departments' shares of each section's weight, in percent: the heat map of a
    summary whose ranking is paged (each page draws its own departments')."""
    sums: dict[object, list[float]] = {}
    counts: dict[object, list[int]] = {}
    members: dict[object, int] = {}
    width = len(report.sections)
    for ranked, row in zip(report.rankings, report.heatmap, strict=True):
        key = ranked["category"]
        if key not in members:
            sums[key], counts[key], members[key] = [0.0] * width, [0] * width, 0
        members[key] += 1
        for j, share in enumerate(row["shares"]):
            if share is not None:
                sums[key][j] += float(share)
                counts[key][j] += 1
    order = sorted(members, key=lambda c: (c is None, "" if c is None else str(c)))
    return [
        {
            "category": MISSING if key is None else str(key),
            "departments": members[key],
            "shares": [s / n if n else None for s, n in zip(sums[key], counts[key], strict=True)],
        }
        for key in order
    ]


def category_label(row: dict) -> str:
    return say("report.chart.heatmap_category", category=row["category"], n=row["departments"])


def _top_lost(lost: pd.DataFrame, section_names: dict[str, str]) -> list[dict]:
    """``lost``: the jurisdiction's rows of ``data.TOP_LOST`` (summed in DuckDB)."""
    out = []
    for g in records(lost):
        total = float(g["lost"])
        out.append(
            {
                "line_code": g["line_code"],
                "name": g["name"] or g["line_code"],
                "section": section_names.get(g["section"], g["section"]),
                "lost": float(round(total, 2)),
                "departments": int(g["departments"]),
                "scored": int(g["scored"]),
                "mean_lost": float(round(total / g["departments"], 2)) if g["departments"] else 0.0,
            }
        )
    return out


def _findings(data: YearData, jurisdiction: str, names: dict[str, str]) -> list[dict]:
    """Findings by severity, from ``data.FINDING_AGGREGATES``: counts by code and the
    first ``SAMPLES`` in the order of department, code, line and message."""

    def mine(frame: pd.DataFrame) -> list[dict]:
        return records(frame[frame["jurisdiction"] == jurisdiction])

    codes: dict[str, list[tuple[str, int]]] = {}
    for c in mine(data.codes):
        codes.setdefault(c["severity"], []).append((str(c["code"]), int(c["count"])))
    samples: dict[str, list[dict]] = {}
    for r in mine(data.samples):
        samples.setdefault(r["severity"], []).append(
            {
                "dept": names.get(r["dept_code"], r["dept_code"])
                or say("report.summary.whole_year"),
                "code": r["code"],
                "line_code": r["line_code"],
                "message": r["message"] or "",
            }
        )
    out = []
    severities = sorted(
        mine(data.severities),
        key=lambda s: (
            (1, s["first_dept"], s["severity"]) if not s["whole_year"] else (0, "", s["severity"])
        ),
    )  # as the severities first appear in the findings' order (no department first)
    for s in severities:
        severity = s["severity"]
        out.append(
            {
                "severity": str(severity),
                "label": severity_label(severity),
                "count": int(s["count"]),
                "codes": codes.get(severity, []),
                "samples": samples.get(severity, []),
            }
        )
    return sorted(out, key=lambda f: SEVERITY_ORDER.get(f["severity"], 9))


RANKING_COLUMNS = [
    "rank", "dept_code", "dept_name", "category", "total_score", "grade", "category_rank",
    "category_out_of", "percentile", "prior_total", "prior_rank", "total_change", "rank_change",
]  # fmt: skip


def build(data: YearData, jurisdiction: str) -> SummaryReport:
    depts = data.departments[data.departments["jurisdiction"] == jurisdiction]
    codes = set(depts["dept_code"])
    sections = data.sections[data.sections["jurisdiction"] == jurisdiction]
    roster = data.roster[data.roster["jurisdiction"] == jurisdiction]
    names = dict(zip(roster["dept_code"], roster["dept_name"], strict=True))
    refusals: dict[str, list[str]] = {}
    for e in records(data.refusals):
        if e["message"]:
            refusals.setdefault(e["dept_code"], []).append(e["message"])
    unscored = [
        {
            "dept_code": r["dept_code"],
            "dept_name": r["dept_name"],
            "reasons": say("report.list.semicolon").join(refusals.get(r["dept_code"], []))
            or MISSING,
        }
        for r in records(roster[~roster["dept_code"].isin(codes)][["dept_code", "dept_name"]])
    ]
    section_names, heatmap = _heatmap(depts, sections)
    totals = depts["total_score"].astype(float)
    return SummaryReport(
        year=data.year,
        jurisdiction=jurisdiction,
        meta={
            "rubric_id": _joined(depts, "rubric_id"),
            "rubric_hash": _joined(depts, "rubric_hash", 12),
            "run_id": _joined(depts, "run_id"),
        },
        stats={
            "scored": len(depts),
            "staged": len(roster),
            "median": None if totals.empty else float(totals.median()),
            "mean": None if totals.empty else float(totals.mean()),
            "top": None if totals.empty else float(totals.max()),
            "bottom": None if totals.empty else float(totals.min()),
        },
        rankings=[
            {**r, "rank": integer(r["rank"]), "prior_rank": integer(r["prior_rank"])}
            for r in _records(depts, RANKING_COLUMNS)
        ],
        grade_counts=_grades(data.grades[data.grades["jurisdiction"] == jurisdiction]),
        sections=section_names,
        heatmap=heatmap,
        top_lost=_top_lost(
            data.top_lost[data.top_lost["jurisdiction"] == jurisdiction],
            dict(zip(sections["section"], sections["name"], strict=False)),
        ),
        findings=_findings(data, jurisdiction, names),
        unscored=unscored,
    )
