"""The HTML reports as one site to walk through: an index of every year's summaries,
each summary linking its departments' pages, and each department page linking the
same department's page of the year before and after and back to its summary.

Links are relative, so the folder can be copied or served anywhere. A neighbouring
year is linked when the warehouse has that year's scores for the department (its
page is written when that year's reports are built).

A summary whose ranking has more than ``RANKING_PAGE_ROWS`` departments pages it:
``ranking/page-<n>.html`` beside ``summary.html``, in rank order, with
``ranking/index.js`` (code, name and rank of every department, in the pages' order)
and ``ranking/search.js``, which finds a department by code or name offline."""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipelines.reports import paths

INDEX = "index.html"
# A summary of a city (hundreds of departments) stays one page; above this many the
# ranking is paged, this many a page: ~1 KB a department (its row and heat map row),
# so a page of ~2 MB a browser opens at once.
RANKING_PAGE_ROWS = 2000
RANKING_DIR = "ranking"
RANKING_PAGE = "page-{n}.html"  # the search's script names the pages the same way
RANKING_INDEX = "index.js"
RANKING_SEARCH = "search.js"


def department_href(year: int, jurisdiction: str, dept_code: str) -> str:
    """A department's page, from another department's page (…/<year>/<j>/departments/)."""
    page = paths.department_file(Path("../../.."), year, jurisdiction, dept_code, "html")
    return page.as_posix()


def summary_href(year: int, jurisdiction: str) -> str:
    """A summary, from another summary (…/<year>/<j>/summary.html)."""
    return paths.summary_file(Path("../.."), year, jurisdiction, "html").as_posix()


def neighbour_pages(con: duckdb.DuckDBPyConnection, year: int) -> dict[str, dict[str, str]]:
    """dept_code → {"prev_page"/"next_page": href} for the departments scored the year
    before or after ``year`` (in whatever jurisdiction they were then)."""
    rows = con.execute(
        """SELECT dept_code, year, jurisdiction FROM v_department_scores
           WHERE year IN (?, ?) ORDER BY dept_code, year""",
        [year - 1, year + 1],
    ).fetchall()
    out: dict[str, dict[str, str]] = {}
    for code, other, where in rows:
        key = "prev_page" if other < year else "next_page"
        out.setdefault(code, {})[key] = department_href(other, where or "", code)
    return out


def neighbour_summaries(
    con: duckdb.DuckDBPyConnection, year: int, jurisdiction: str
) -> dict[str, tuple[int, str]]:
    """{"prev"/"next": (year, href)} for the jurisdiction's summaries of the years
    around ``year`` that the warehouse has scores for."""
    years = con.execute(
        """SELECT DISTINCT year FROM v_department_scores
           WHERE jurisdiction = ? AND year IN (?, ?) ORDER BY year""",
        [jurisdiction, year - 1, year + 1],
    ).fetchall()
    return {("prev" if y < year else "next"): (y, summary_href(y, jurisdiction)) for (y,) in years}


def summaries_on_disk(out_dir: Path) -> list[tuple[int, list[str]]]:
    """(year, the jurisdiction folders with a summary page), newest year first."""
    found: dict[int, list[str]] = {}
    for page in sorted(Path(out_dir).glob("[0-9][0-9][0-9][0-9]/*/summary.html")):
        found.setdefault(int(page.parent.parent.name), []).append(page.parent.name)
    return sorted(found.items(), reverse=True)


def ranking_page_name(number: int) -> str:
    """The file of the ranking's page ``number`` (from 1), in ``RANKING_DIR``."""
    return RANKING_PAGE.format(n=int(number))


def ranking_pages(rows: int, page_rows: int = RANKING_PAGE_ROWS) -> list[tuple[int, int]]:
    """(start, stop) of each page of a ranking of ``rows`` departments, in rank order;
    none when it fits on the summary itself."""
    page_rows = max(1, int(page_rows))
    if rows <= page_rows:
        return []
    return [(start, min(start + page_rows, rows)) for start in range(0, rows, page_rows)]
