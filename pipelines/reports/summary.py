"""The city-wide summary of one year and jurisdiction: ranking, grades, section
heat map, the lines where most points were lost, and findings by severity."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pipelines.messages import say
from pipelines.reports.data import YearData, localized, value
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
    return [{c: value(row, c) for c in columns} for _, row in frame.iterrows()]


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
    rows = []
    for _, d in depts.iterrows():
        row = grid.loc[d["dept_code"]] if d["dept_code"] in grid.index else None
        rows.append(
            {
                "rank": integer(d["rank"]),
                "dept_code": d["dept_code"],
                "dept_name": value(d, "dept_name") or d["dept_code"],
                "shares": [None if row is None else value(row, s) for s in names["section"]],
            }
        )
    return [str(n) for n in names["name"]], rows


def heatmap_label(row: dict) -> str:
    name = str(row["dept_name"])
    name = name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1] + "…"
    return say("report.chart.heatmap_row", rank=row["rank"], name=name)


def _top_lost(lines: pd.DataFrame, section_names: dict[str, str]) -> list[dict]:
    lost = lines.assign(lost=lines["weight"] - lines["final_score"])
    grouped = (
        lost.groupby(["line_code", "name"], dropna=False)
        .agg(
            section=("section", "first"),
            lost=("lost", "sum"),
            departments=("lost", lambda s: int((s > 0).sum())),
            scored=("lost", "size"),
        )
        .reset_index()
    )
    grouped = grouped[grouped["lost"] > 0].sort_values(
        ["lost", "line_code"], ascending=[False, True]
    )
    out = []
    for _, g in grouped.head(TOP_LOST).iterrows():
        out.append(
            {
                "line_code": g["line_code"],
                "name": value(g, "name") or g["line_code"],
                "section": section_names.get(g["section"], g["section"]),
                "lost": float(round(g["lost"], 2)),
                "departments": int(g["departments"]),
                "scored": int(g["scored"]),
                "mean_lost": float(round(g["lost"] / g["departments"], 2))
                if g["departments"]
                else 0.0,
            }
        )
    return out


def _findings(findings: pd.DataFrame, names: dict[str, str]) -> list[dict]:
    out = []
    for severity, rows in findings.groupby("severity", sort=False):
        rows = rows.sort_values(["dept_code", "code", "line_code", "message"], na_position="first")
        codes = rows["code"].value_counts().sort_index()
        out.append(
            {
                "severity": str(severity),
                "label": severity_label(severity),
                "count": len(rows),
                "codes": [(str(c), int(n)) for c, n in codes.items()],
                "samples": [
                    {
                        "dept": names.get(value(r, "dept_code"), value(r, "dept_code"))
                        or say("report.summary.whole_year"),
                        "code": r["code"],
                        "line_code": value(r, "line_code"),
                        "message": localized(r, "message") or "",
                    }
                    for _, r in rows.head(SAMPLES).iterrows()
                ],
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
    lines = data.lines[data.lines["dept_code"].isin(codes)]
    roster = data.roster[data.roster["jurisdiction"] == jurisdiction]
    names = dict(zip(roster["dept_code"], roster["dept_name"], strict=True))
    # File-level notes (no department) belong to the whole year, so to every summary.
    findings = data.findings[
        data.findings["dept_code"].isin(set(roster["dept_code"]))
        | data.findings["dept_code"].isna()
    ]
    errors = findings[findings["severity"] == "error"]
    unscored = [
        {
            "dept_code": r["dept_code"],
            "dept_name": value(r, "dept_name"),
            "reasons": say("report.list.semicolon").join(
                text
                for _, e in errors[errors["dept_code"] == r["dept_code"]].iterrows()
                if (text := localized(e, "message"))
            )
            or MISSING,
        }
        for _, r in roster[~roster["dept_code"].isin(codes)].iterrows()
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
        top_lost=_top_lost(lines, dict(zip(sections["section"], sections["name"], strict=False))),
        findings=_findings(findings, names),
        unscored=unscored,
    )
