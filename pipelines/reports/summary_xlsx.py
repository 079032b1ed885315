"""The city-wide summary as an Excel workbook: its sheets, written by ``xlsx.write``."""

from __future__ import annotations

from pipelines.messages import say
from pipelines.reports.numbers import number
from pipelines.reports.summary import SummaryReport
from pipelines.reports.templating import grade_label, jurisdiction_label
from pipelines.reports.xlsx import INT, RATE, SCORE, TEXT, Sheet, columns

OVERVIEW = (("item", TEXT), ("content", TEXT))
RANKING = (
    ("rank", INT), ("dept_code", TEXT), ("dept_name", TEXT), ("category", TEXT),
    ("total", SCORE), ("grade", TEXT), ("category_rank", INT), ("category_out_of", INT),
    ("percentile_pct", "0.0"), ("prior_total_full", SCORE), ("prior_rank", INT),
    ("score_change", SCORE), ("rank_change", INT),
)  # fmt: skip
RANKING_KEYS = [
    "rank", "dept_code", "dept_name", "category", "total_score", "grade", "category_rank",
    "category_out_of", "percentile", "prior_total", "prior_rank", "total_change", "rank_change",
]  # fmt: skip
GRADES = (("grade", TEXT), ("departments", INT), ("share_pct", "0.0"))
TOP_LOST = (
    ("line_code", TEXT), ("indicator", TEXT), ("section", TEXT), ("lost_sum", SCORE),
    ("lost_departments", INT), ("scored", INT), ("lost_mean", SCORE),
)  # fmt: skip
TOP_LOST_KEYS = ["line_code", "name", "section", "lost", "departments", "scored", "mean_lost"]
FINDINGS = (
    ("severity", TEXT), ("code", TEXT), ("count", INT), ("sample_department", TEXT),
    ("sample_message", TEXT),
)  # fmt: skip


def _sample(finding: dict, code: str) -> tuple[str | None, str | None]:
    sample = next((x for x in finding["samples"] if x["code"] == code), None)
    return (None, None) if sample is None else (sample["dept"], sample["message"])


def _ranking_row(d: dict) -> list:
    return [grade_label(d[k]) if k == "grade" else d[k] for k in RANKING_KEYS]


def summary_sheets(s: SummaryReport) -> list[Sheet]:
    def fact(key: str, content: object) -> tuple[str, object]:
        return (say(f"report.field.{key}"), content)

    overview = [
        fact("year", s.year), fact("jurisdiction", jurisdiction_label(s.jurisdiction)),
        fact("rubric", s.meta["rubric_id"]), fact("rubric_hash", s.meta["rubric_hash"]),
        fact("run_id", s.meta["run_id"]), fact("staged", s.stats["staged"]),
        fact("scored", s.stats["scored"]), fact("median", number(s.stats["median"])),
    ]  # fmt: skip
    grades = [(grade_label(g), n, share) for g, n, share in s.grade_counts]
    shares = columns(("rank", INT), ("dept_code", TEXT), ("dept_name", TEXT))
    shares |= {say("report.field.section_share", section=name): RATE for name in s.sections}
    rows = [(x["rank"], x["dept_code"], x["dept_name"], *x["shares"]) for x in s.heatmap]
    lost = [[x[k] for k in TOP_LOST_KEYS] for x in s.top_lost]
    findings = [
        (f["label"], code, n, *_sample(f, code)) for f in s.findings for code, n in f["codes"]
    ]
    return [
        Sheet(say("report.sheet.overview"), columns(*OVERVIEW), overview),
        Sheet(say("report.sheet.ranking"), columns(*RANKING), list(map(_ranking_row, s.rankings))),
        Sheet(say("report.sheet.grades"), columns(*GRADES), grades),
        Sheet(say("report.sheet.shares"), shares, rows),
        Sheet(say("report.sheet.top_lost"), columns(*TOP_LOST), lost),
        Sheet(say("report.sheet.findings"), columns(*FINDINGS), findings),
    ]
