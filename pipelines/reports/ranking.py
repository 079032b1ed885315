"""The ranking part of a department report in words: rank, category rank, percentile
and the change since last year (v_rankings), for the HTML and Markdown tables."""

from __future__ import annotations

from pipelines.reports.department import DepartmentReport
from pipelines.reports.numbers import score, signed


def movement(change: int | None) -> str:
    if change is None:
        return "—"
    return "持平" if change == 0 else f"上升 {change} 位" if change > 0 else f"下降 {-change} 位"


def ranking_rows(report: DepartmentReport) -> list[tuple[str, str]]:
    """The ranking part as (label, text), for the HTML and Markdown tables."""
    r = report.ranking
    prior = r["prior_year"]
    rows = [
        ("全市排名", f"第 {r['rank']} 名 / 共 {r['rank_out_of']} 个部门"),
        (
            f"同类排名（{r['category'] or '—'}）",
            f"第 {r['category_rank']} 名 / 共 {r['category_out_of']} 个部门",
        ),
        (
            "百分位",
            "—"
            if r["percentile"] is None
            else f"{r['percentile']:.1f}（得分低于本部门的部门占比，%）",
        ),
    ]
    if r["prior_total"] is None:
        return [*rows, (f"上年（{prior} 年）", "无评分记录，无法比较")]
    return [
        *rows,
        (f"上年（{prior} 年）综合得分", score(r["prior_total"])),
        (f"上年（{prior} 年）排名", "—" if r["prior_rank"] is None else f"第 {r['prior_rank']} 名"),
        ("得分变化", f"{signed(r['total_change'])} 分"),
        ("名次变化", movement(r["rank_change"])),
    ]
