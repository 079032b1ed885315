"""The ranking part of a department report in words: rank, category rank, percentile
and the change since last year (v_rankings), for the HTML and Markdown tables."""

from __future__ import annotations

from pipelines.messages import say
from pipelines.reports.department import DepartmentReport
from pipelines.reports.numbers import MISSING, score, signed


def movement(change: int | None) -> str:
    if change is None:
        return MISSING
    if change == 0:
        return say("report.movement.same")
    return say(f"report.movement.{'up' if change > 0 else 'down'}", n=abs(change))


def ranking_rows(report: DepartmentReport) -> list[tuple[str, str]]:
    """The ranking part as (label, text), for the HTML and Markdown tables."""
    r = report.ranking
    prior = r["prior_year"]
    rows = [
        (
            say("report.field.city_rank"),
            say("report.ranking.position", rank=r["rank"], out_of=r["rank_out_of"]),
        ),
        (
            say("report.ranking.category_rank", category=r["category"] or MISSING),
            say("report.ranking.position", rank=r["category_rank"], out_of=r["category_out_of"]),
        ),
        (
            say("report.field.percentile"),
            MISSING
            if r["percentile"] is None
            else say("report.ranking.percentile_value", value=f"{r['percentile']:.1f}"),
        ),
    ]
    if r["prior_total"] is None:
        return [
            *rows,
            (say("report.ranking.prior_year", year=prior), say("report.ranking.no_prior")),
        ]
    return [
        *rows,
        (say("report.ranking.prior_total", year=prior), score(r["prior_total"])),
        (
            say("report.ranking.prior_rank", year=prior),
            MISSING if r["prior_rank"] is None else say("report.ranking.nth", rank=r["prior_rank"]),
        ),
        (
            say("report.field.score_change"),
            say("report.ranking.points", value=signed(r["total_change"])),
        ),
        (say("report.field.rank_change"), movement(r["rank_change"])),
    ]
