"""HTML pages from the Jinja2 templates in ``templates/``. Autoescape is on: every
value from the data is escaped; the charts arrive as matplotlib's own SVG markup."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from pipelines.reports import charts, numbers, site
from pipelines.reports.department import DepartmentReport
from pipelines.reports.ranking import movement, ranking_rows
from pipelines.reports.summary import SummaryReport, heatmap_label
from pipelines.reports.templating import environment, jurisdiction_label


def _finalize(value: object) -> object:
    # A missing value prints as a dash, never as "None".
    return numbers.MISSING if value is None else value


ENV = environment(autoescape=True, finalize=_finalize)
ENV.globals["movement"] = movement


def department_page(report: DepartmentReport) -> str:
    return ENV.get_template("department.html.j2").render(
        r=report,
        meta=report.header,
        chart=charts.section_chart(report.sections),
        ranking_rows=ranking_rows(report),
        jurisdiction_label=jurisdiction_label(report.header.jurisdiction),
    )


def summary_page(report: SummaryReport, links: dict[str, str], nav: dict | None = None) -> str:
    """``links``: dept_code → the department page, relative to the summary page;
    ``nav``: the summaries of the years around it (``site.neighbour_summaries``)."""
    return "".join(_summary_parts(report, links, nav or {}))


def index_page(out_dir: Path) -> str:
    """The front page: every year's summaries found under ``out_dir``, newest first."""
    years = [
        (year, [(folder, jurisdiction_label(folder)) for folder in folders])
        for year, folders in site.summaries_on_disk(out_dir)
    ]
    return ENV.get_template("index.html.j2").render(years=years, meta=None)


def write_summary_page(
    report: SummaryReport, links: dict[str, str], path: Path, nav: dict | None = None
) -> Path:
    """``summary_page`` written to ``path`` as it renders: a summary has a row per
    department (100,000 rows nationally, ~100 MB), never held whole in memory."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        parts: list[str] = []
        for part in _summary_parts(report, links, nav or {}):
            parts.append(part)
            if len(parts) >= 4096:
                out.write("".join(parts).encode("utf-8"))
                parts.clear()
        out.write("".join(parts).encode("utf-8"))
    return path


def _summary_parts(report: SummaryReport, links: dict[str, str], nav: dict) -> Iterator[str]:
    return ENV.get_template("summary.html.j2").generate(
        s=report,
        meta=report.meta,
        links=links,
        nav=nav,
        grade_chart=charts.grade_chart(report.grade_counts),
        heatmap=charts.section_heatmap_parts(
            (heatmap_label(row) for row in report.heatmap),
            report.sections,
            (row["shares"] for row in report.heatmap),
            len(report.heatmap),
        ),
        jurisdiction_label=jurisdiction_label(report.jurisdiction),
    )
