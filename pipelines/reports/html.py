"""HTML pages from the Jinja2 templates in ``templates/``. Autoescape is on: every
value from the data is escaped; the charts arrive as matplotlib's own SVG markup.

A summary whose ranking is longer than a page (``site.ranking_pages``) is written as
an overview and the ranking's pages, with the index and script of its offline search
(``write_summary_pages``)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from fnmatch import fnmatchcase
from pathlib import Path

from pipelines.reports import charts, numbers, site
from pipelines.reports.department import DepartmentReport
from pipelines.reports.ranking import movement, ranking_rows
from pipelines.reports.summary import (
    SummaryReport,
    category_heatmap,
    category_label,
    heatmap_label,
)
from pipelines.reports.templating import TEMPLATES, environment, jurisdiction_label


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
    """``summary_page`` written to ``path`` as it renders (the whole ranking on it)."""
    return _write(path, _summary_parts(report, links, nav or {}))


def write_summary_pages(
    report: SummaryReport,
    links: dict[str, str],
    path: Path,
    nav: dict | None = None,
    page_rows: int = site.RANKING_PAGE_ROWS,
) -> list[Path]:
    """The summary at ``path``; return the files written. A ranking of more than
    ``page_rows`` departments goes to pages of ``page_rows`` in ``ranking/`` beside it
    (the summary keeps the overview and lists the pages), with the offline search's
    index and script. Pages of an earlier, longer ranking are removed."""
    nav, page_rows = nav or {}, max(1, int(page_rows))
    folder = path.parent / site.RANKING_DIR
    bounds = site.ranking_pages(len(report.rankings), page_rows)
    if not bounds:
        written = [write_summary_page(report, links, path, nav)]
        _remove_stale(folder, set())
        return written
    pages = [_page_info(report, n, start, stop) for n, (start, stop) in enumerate(bounds, 1)]
    written = [_write(path, _summary_parts(report, links, nav, pages, page_rows))]
    for i, page in enumerate(pages):
        around = {
            "prev": pages[i - 1] if i > 0 else None,
            "next": pages[i + 1] if i + 1 < len(pages) else None,
        }
        written.append(
            _write(folder / page["name"], _ranking_parts(report, links, pages, page, around))
        )
    index = folder / site.RANKING_INDEX
    index.write_bytes(ranking_index(report, links, page_rows).encode("utf-8"))
    script = folder / site.RANKING_SEARCH
    script.write_bytes((TEMPLATES / site.RANKING_SEARCH).read_bytes())
    written += [index, script]
    _remove_stale(folder, {p.name for p in written})
    return written


def ranking_index(report: SummaryReport, links: dict[str, str], page_rows: int) -> str:
    """The offline search's index (``ranking/index.js``): every department's code, name
    and rank, in the pages' order, so its page follows from its position; ``report``:
    1 when its page is ``departments/<code>.html``, 0 without one, else its path."""
    codes, names, ranks, reports = [], [], [], []
    for row in report.rankings:
        code = str(row["dept_code"])
        href = links.get(code)
        codes.append(code)
        names.append("" if row["dept_name"] is None else str(row["dept_name"]))
        ranks.append(row["rank"])
        reports.append(0 if href is None else 1 if href == f"departments/{code}.html" else href)
    data = {
        "rows": int(page_rows),
        "page": site.RANKING_PAGE,
        "department": "departments/{code}.html",
        "code": codes,
        "name": names,
        "rank": ranks,
        "report": reports,
    }
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f"window.jixiaoRanking = {text};\n"


def _page_info(report: SummaryReport, number: int, start: int, stop: int) -> dict:
    first, last = report.rankings[start], report.rankings[stop - 1]
    name = site.ranking_page_name(number)
    return {
        "number": number,
        "name": name,
        "href": f"{site.RANKING_DIR}/{name}",
        "start": start,
        "stop": stop,
        "first_rank": first["rank"],
        "last_rank": last["rank"],
        "top": first["total_score"],
        "bottom": last["total_score"],
    }


def _remove_stale(folder: Path, keep: set[str]) -> None:
    """Remove what an earlier build wrote in ``folder`` (its pages, their PDF copies,
    the search's files) that this one did not: a shorter ranking has fewer pages."""
    if not folder.is_dir():
        return
    pattern = site.RANKING_PAGE.format(n="*")
    for path in sorted(folder.iterdir()):
        page = path.with_suffix(".html").name  # a page's PDF copy goes with the page
        if path.name in (site.RANKING_INDEX, site.RANKING_SEARCH):
            page = path.name
        elif path.suffix not in (".html", ".pdf") or not fnmatchcase(page, pattern):
            continue
        if path.is_file() and page not in keep:
            path.unlink()
    if not any(folder.iterdir()):
        folder.rmdir()


def _write(path: Path, parts: Iterable[str]) -> Path:
    """Write ``parts`` as they render: nationally a page would be ~100 MB as a string."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as out:
        chunk: list[str] = []
        for part in parts:
            chunk.append(part)
            if len(chunk) >= 4096:
                out.write("".join(chunk).encode("utf-8"))
                chunk.clear()
        out.write("".join(chunk).encode("utf-8"))
    return path


def _heatmap(labels: Iterable[str], sections: list[str], rows: list[dict]) -> Iterator[str]:
    return charts.section_heatmap_parts(labels, sections, (r["shares"] for r in rows), len(rows))


def _summary_parts(
    report: SummaryReport,
    links: dict[str, str],
    nav: dict,
    pages: list[dict] | None = None,
    page_rows: int = 0,
) -> Iterator[str]:
    if pages:  # the ranking is on its pages: the heat map by category
        rows = category_heatmap(report)
        heatmap = _heatmap(map(category_label, rows), report.sections, rows)
    else:
        heatmap = _heatmap(map(heatmap_label, report.heatmap), report.sections, report.heatmap)
    return ENV.get_template("summary.html.j2").generate(
        s=report,
        meta=report.meta,
        links=links,
        nav=nav,
        rows=report.rankings,
        prefix="",
        anchors=False,
        pages=pages or [],
        page_rows=page_rows,
        ranking_base=f"{site.RANKING_DIR}/",
        departments_base="",
        grade_chart=charts.grade_chart(report.grade_counts),
        heatmap=heatmap,
        jurisdiction_label=jurisdiction_label(report.jurisdiction),
    )


def _ranking_parts(
    report: SummaryReport, links: dict[str, str], pages: list[dict], page: dict, around: dict
) -> Iterator[str]:
    """One page of the ranking: its departments' rows and heat map, in ``ranking/``."""
    rows = report.heatmap[page["start"] : page["stop"]]
    return ENV.get_template("ranking.html.j2").generate(
        s=report,
        meta=report.meta,
        links=links,
        rows=report.rankings[page["start"] : page["stop"]],
        prefix="../",
        anchors=True,
        pages=pages,
        page=page,
        prev=around["prev"],
        next=around["next"],
        ranking_base="",
        departments_base="../",
        heatmap=_heatmap(map(heatmap_label, rows), report.sections, rows),
        jurisdiction_label=jurisdiction_label(report.jurisdiction),
    )
