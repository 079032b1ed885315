"""A summary with more departments than a page: the overview, the ranking on pages of
its own with previous/next links, and the offline search's index.

The warehouse has 120 generated departments and the pages hold 50 (``page_rows``), so
the ranking takes three pages; at the default size (``site.RANKING_PAGE_ROWS``) a city
stays one page, which ``test_a_city_stays_one_page`` checks on the bundled year."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlparse

import pytest

from pipelines.reports import build_reports, site
from tests.conftest import RUBRICS, once
from tests.reports.conftest import YEAR, query
from tests.reports.dom import Page
from tests.reports.test_browser import chromium, run  # noqa: F401  (the fixture)
from tests.reports.wording import known_codes, latin_words, warehouse_sentences

DEPARTMENTS = 120
PAGE_ROWS = 50
PAGES = 3  # 50 + 50 + 20
# A page's bytes: ~1 KB a department (its ranking row and heat map row) and ~20 KB of
# its own (styles, navigation, the pager), far from the "few MB" a browser opens at once.
ROW_BYTES = 2_000
PAGE_BYTES = 60_000
# The search's index per department: code, name, rank and whether it has a page.
INDEX_BYTES = 80
INDEX_PREFIX = "window.jixiaoRanking = "


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> Path:
    """A year of ``DEPARTMENTS`` generated departments, scored (run ``run-2023``)."""

    def build(folder: Path) -> Path:
        from pipelines.annual import run_year
        from pipelines.rubric.library import RubricLibrary
        from pipelines.samples import generate

        rubrics = RubricLibrary(RUBRICS)
        raw = folder / "raw"
        generate(
            raw, [YEAR], DEPARTMENTS, lambda y: rubrics.get("beijing", y).rubric,
            include_seed_department=False,
        )  # fmt: skip
        path = folder / "w.duckdb"
        run_year(raw, RUBRICS, path, YEAR, run_id=f"run-{YEAR}")
        return path

    return once(tmp_path_factory, "paged-warehouse", build)


def _build(warehouse: Path, out: Path, **options) -> Path:
    build_reports(warehouse, YEAR, out, formats=("html",), workers=1, **options)
    return out / str(YEAR) / "beijing"


@pytest.fixture(scope="module")
def paged(big, tmp_path_factory) -> Path:
    """The reports' folder of the jurisdiction: department pages, summary, ranking pages."""
    return _build(big, tmp_path_factory.mktemp("paged"), page_rows=PAGE_ROWS)


@pytest.fixture(scope="module")
def ranked(big) -> list[tuple[int, str, str]]:
    """(rank, dept_code, dept_name) in the ranking's order."""
    return query(
        big,
        """SELECT rank, dept_code, dept_name FROM v_rankings WHERE year = ?
           ORDER BY jurisdiction, rank, dept_code""",
        [YEAR],
    )


def pages_of(folder: Path) -> list[Path]:
    found = sorted((folder / site.RANKING_DIR).glob("page-*.html"))
    return sorted(found, key=lambda p: int(re.findall(r"\d+", p.name)[0]))


def index_of(folder: Path) -> dict:
    text = (folder / site.RANKING_DIR / site.RANKING_INDEX).read_text("utf-8")
    assert text.startswith(INDEX_PREFIX) and text.endswith(";\n")
    return json.loads(text[len(INDEX_PREFIX) : -2])


class Anchors(HTMLParser):
    """Every link of a page (href, src, the search's index), and its elements' ids."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.testids: dict[str, str] = {}
        self.ids: set[str] = set()
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        link = attrs.get("href") or attrs.get("src") or attrs.get("data-index")
        if link and tag in ("a", "script", "form"):
            self.links.append(link)
            if attrs.get("data-testid"):
                self.testids[attrs["data-testid"]] = link


def target(page: Path, href: str) -> Path:
    """The file a link of ``page`` leads to, as a browser resolves it."""
    return Path(unquote(urlparse(urljoin(page.resolve().as_uri(), href)).path))


def test_every_department_is_on_exactly_one_page_in_rank_order(paged, ranked):
    pages = pages_of(paged)
    assert [p.name for p in pages] == [f"page-{n}.html" for n in range(1, PAGES + 1)]
    shown = []
    for page in pages:
        rows = Page(page.read_text("utf-8")).tables["ranking-table"][1:]
        assert 0 < len(rows) <= PAGE_ROWS
        shown += [(int(row[0]), row[1]) for row in rows]
    assert len(shown) == DEPARTMENTS
    for (rank, name_and_code), (expected_rank, code, name) in zip(shown, ranked, strict=True):
        assert rank == expected_rank
        assert name_and_code == f"{name}{code}"


def test_the_summary_keeps_the_overview_and_lists_the_pages(paged, ranked):
    summary = Page((paged / "summary.html").read_text("utf-8"))
    assert "ranking-table" not in summary.tables
    assert {"grade-chart", "section-heatmap"} <= summary.svg_inside
    listed = summary.tables["ranking-pages"][1:]
    assert [row[0] for row in listed] == [f"第 {n} 页" for n in range(1, PAGES + 1)]
    first = [ranked[i][0] for i in range(0, DEPARTMENTS, PAGE_ROWS)]
    last = [
        ranked[min(i + PAGE_ROWS, DEPARTMENTS) - 1][0] for i in range(0, DEPARTMENTS, PAGE_ROWS)
    ]
    assert [row[1] for row in listed] == [f"{a}–{b}" for a, b in zip(first, last, strict=True)]
    assert summary.text("scored") == str(DEPARTMENTS)


def test_the_overview_heat_map_has_a_row_per_category(big, paged):
    summary = Page((paged / "summary.html").read_text("utf-8"))
    categories = query(
        big,
        "SELECT category, count(*) FROM v_rankings WHERE year = ? GROUP BY ALL ORDER BY 1",
        [YEAR],
    )
    assert len(categories) > 1
    labels = [text for text in summary.shown if text.endswith("个部门）")]
    assert labels == [f"{category}（{n} 个部门）" for category, n in categories]


def test_pages_stay_small(paged):
    for page in pages_of(paged):
        rows = len(Page(page.read_text("utf-8")).tables["ranking-table"]) - 1
        assert page.stat().st_size <= PAGE_BYTES + rows * ROW_BYTES, page.name
    # the overview does not grow with the departments: no row of its own per department
    assert (paged / "summary.html").stat().st_size <= 2 * PAGE_BYTES


def test_navigation_links_lead_to_files_that_exist(paged):
    pages = pages_of(paged)
    summary = paged / "summary.html"
    listed = Anchors(summary.read_text("utf-8"))
    assert [target(summary, listed.testids[f"ranking-page-{n}"]) for n in range(1, PAGES + 1)] == [
        p.resolve() for p in pages
    ]
    for i, page in enumerate(pages):
        anchors = Anchors(page.read_text("utf-8"))
        for href in anchors.links:
            assert target(page, href).is_file(), f"{page.name}: {href} leads nowhere"
        assert target(page, anchors.testids["to-summary"]) == summary.resolve()
        prev, nxt = anchors.testids.get("to-prev-page"), anchors.testids.get("to-next-page")
        assert (prev is None) == (i == 0) and (nxt is None) == (i == len(pages) - 1)
        if prev:
            assert target(page, prev) == pages[i - 1].resolve()
        if nxt:
            assert target(page, nxt) == pages[i + 1].resolve()
    for href in listed.links:
        assert target(summary, href).is_file(), f"summary.html: {href} leads nowhere"


def test_the_index_holds_every_department_and_finds_its_row(paged, ranked):
    index = index_of(paged)
    assert index["rows"] == PAGE_ROWS
    assert index["code"] == [code for _, code, _ in ranked]
    assert index["name"] == [name for _, _, name in ranked]
    assert index["rank"] == [rank for rank, _, _ in ranked]
    pages = pages_of(paged)
    ids = [Anchors(p.read_text("utf-8")).ids for p in pages]
    for i, code in enumerate(index["code"]):
        page = i // index["rows"]  # as search.js finds a department's page
        assert pages[page].name == index["page"].replace("{n}", str(page + 1))
        assert f"dept-{code}" in ids[page]
        assert index["report"][i] == 1  # every department's page was written
        report = paged / index["department"].replace("{code}", code)
        assert report.is_file()
    size = (paged / site.RANKING_DIR / site.RANKING_INDEX).stat().st_size
    assert size <= INDEX_BYTES * DEPARTMENTS


def test_the_search_script_holds_no_words(paged):
    """Its words come from the page (the message catalog), so the script has none."""
    script = (paged / site.RANKING_DIR / site.RANKING_SEARCH).read_text("utf-8")
    assert not re.search(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]", script)


def test_the_same_warehouse_gives_the_same_pages(big, paged, tmp_path):
    again = _build(big, tmp_path, page_rows=PAGE_ROWS)
    for path in [paged / "summary.html", *sorted((paged / site.RANKING_DIR).iterdir())]:
        relative = path.relative_to(paged)
        assert (again / relative).read_bytes() == path.read_bytes(), relative
    assert sorted(p.name for p in (again / site.RANKING_DIR).iterdir()) == sorted(
        p.name for p in (paged / site.RANKING_DIR).iterdir()
    )


def test_a_shorter_ranking_leaves_no_page_of_a_longer_one(big, tmp_path):
    out = tmp_path / "out"
    folder = _build(big, out, page_rows=30, departments=False)
    (folder / site.RANKING_DIR / "page-4.pdf").write_bytes(b"%PDF")  # printed with --pdf
    (folder / site.RANKING_DIR / "notes.txt").write_text("kept")  # not the build's
    assert len(pages_of(folder)) == 4
    _build(big, out, page_rows=60, departments=False)
    assert [p.name for p in pages_of(folder)] == ["page-1.html", "page-2.html"]
    assert not (folder / site.RANKING_DIR / "page-4.pdf").exists()
    assert index_of(folder)["rows"] == 60
    _build(big, out, page_rows=DEPARTMENTS, departments=False)  # fits on the summary
    assert sorted(p.name for p in (folder / site.RANKING_DIR).iterdir()) == ["notes.txt"]
    assert "ranking-table" in Page((folder / "summary.html").read_text("utf-8")).tables
    (folder / site.RANKING_DIR / "notes.txt").unlink()
    _build(big, out, page_rows=DEPARTMENTS, departments=False)
    assert not (folder / site.RANKING_DIR).exists()


def test_a_city_stays_one_page(built):
    folder = built / str(YEAR) / "beijing"
    assert not (folder / site.RANKING_DIR).exists()
    summary = (folder / "summary.html").read_text("utf-8")
    assert "ranking-table" in Page(summary).tables and "ranking-search" not in summary


def test_english_pages(big, tmp_path):
    folder = tmp_path / "en"
    build_reports(big, YEAR, folder, formats=("html",), workers=1, lang="en",
                  departments=False, page_rows=PAGE_ROWS)  # fmt: skip
    page = (folder / str(YEAR) / "beijing" / site.RANKING_DIR / "page-2.html").read_text("utf-8")
    assert "Beijing: 2023 overall ranking, page 2 of 3" in page
    assert 'data-hit="No. {rank}: {name} (page {page})"' in page


# -- in the browser ----------------------------------------------------------------------


def dom(chromium: str, page: Path, query_text: str | None = None) -> str:  # noqa: F811
    url = page.resolve().as_uri()
    if query_text is not None:
        url += "?q=" + quote(query_text)
    done = run(chromium, "--dump-dom", url)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


class Results(HTMLParser):
    """The search's results: per department (data-dept), the hrefs and text of its item."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.found: dict[str, dict] = {}
        self.status = ""
        self._item: dict | None = None
        self._status = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "li" and attrs.get("data-dept"):
            self._item = self.found.setdefault(attrs["data-dept"], {"hrefs": [], "text": ""})
        if tag == "a" and self._item is not None:
            self._item["hrefs"].append(attrs["href"])
        self._status = attrs.get("data-testid") == "search-status"

    def handle_endtag(self, tag):
        if tag == "li":
            self._item = None
        self._status = False

    def handle_data(self, data):
        if self._item is not None:
            self._item["text"] += data
        if self._status:
            self.status += data


@pytest.mark.parametrize("where", ["summary.html", "ranking/page-2.html"])
def test_the_search_finds_a_department_by_name_offline(chromium, paged, ranked, where):  # noqa: F811
    """The page reads its index from a file beside it (no network): a department on the
    last page, found by its name from the summary and from another page."""
    rank, code, name = ranked[-5]
    page = paged / where
    found = Results(dom(chromium, page, name))
    assert found.status == "找到 1 个部门"
    [item] = found.found.values()
    assert f"第 {rank} 名" in item["text"] and name in item["text"] and code in item["text"]
    to_row, to_report = item["hrefs"]
    row = target(page, to_row)
    assert row == (paged / site.RANKING_DIR / f"page-{PAGES}.html").resolve()
    assert f"dept-{code}" in Anchors(row.read_text("utf-8")).ids
    assert urlparse(urljoin(page.resolve().as_uri(), to_row)).fragment == f"dept-{code}"
    assert target(page, to_report) == (paged / "departments" / f"{code}.html").resolve()


def test_the_search_by_code_lists_the_first_hundred(chromium, paged):  # noqa: F811
    found = Results(dom(chromium, paged / "summary.html", "SYN"))
    assert found.status == f"找到 {DEPARTMENTS} 个部门，列出前 100 个"
    assert len(found.found) == 100


def test_the_ranking_pages_own_words_are_chinese(chromium, big, paged):  # noqa: F811
    shown = Page(dom(chromium, paged / site.RANKING_DIR / "page-1.html", "SYN-0")).shown
    own, _ = latin_words(shown, known_codes(big, YEAR), warehouse_sentences(big, YEAR))
    assert not own, "\n".join(own)


def test_the_category_heat_map_averages_what_was_scored():
    """A section a department has no score in counts for none of its category's mean;
    departments without a category come last, under a dash."""
    from pipelines.reports.summary import SummaryReport, category_heatmap

    rows = [("甲", [100.0, 50.0]), (None, [80.0, None]), ("甲", [50.0, None]), ("乙", [None, None])]
    report = SummaryReport(
        year=YEAR, jurisdiction="beijing", meta={}, stats={},
        rankings=[{"category": category} for category, _ in rows],
        grade_counts=[], sections=["一", "二"],
        heatmap=[{"shares": shares} for _, shares in rows],
        top_lost=[], findings=[], unscored=[],
    )  # fmt: skip
    assert category_heatmap(report) == [
        {"category": "乙", "departments": 1, "shares": [None, None]},
        {"category": "甲", "departments": 2, "shares": [75.0, 50.0]},
        {"category": "—", "departments": 1, "shares": [80.0, None]},
    ]
