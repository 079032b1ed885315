"""The HTML reports are one site: from the index to a year's summary, to a department's
page, to the same department a year earlier, and back, in headless Chromium.

Each page is loaded by Chromium from its file URL; a link is followed by resolving its
href (as the browser shows it in the DOM) against the page's URL, as a click would."""

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

import pytest

from pipelines.reports import build_reports
from tests.reports.test_browser import chromium, run  # noqa: F401  (the fixture)


class Links(HTMLParser):
    """Every <a>: its href by data-testid, and (text, href) in page order."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.by_testid: dict[str, str] = {}
        self.anchors: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            attrs = dict(attrs)
            self._href, self._text = attrs.get("href"), []
            if attrs.get("data-testid"):
                self.by_testid[attrs["data-testid"]] = attrs.get("href")

    def handle_data(self, data):
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.anchors.append(("".join(self._text).strip(), self._href))
            self._href = None


@pytest.fixture(scope="module")
def site(warehouse, tmp_path_factory) -> Path:
    """The HTML of 2022 and 2023 (the shared warehouse holds both years)."""
    out = tmp_path_factory.mktemp("site")
    for year in (2022, 2023):
        build_reports(warehouse, year, out, formats=("html",), workers=1)
    return out


class Browser:
    def __init__(self, binary: str):
        self.binary = binary

    def open(self, url: str) -> Links:
        path = Path(unquote(urlparse(url).path))
        assert path.is_file(), f"a link leads nowhere: {url}"
        done = run(self.binary, "--dump-dom", url)
        assert done.returncode == 0, done.stderr[-2000:]
        return Links(done.stdout)


def follow(url: str, href: str | None) -> str:
    assert href, "no such link on the page"
    return urljoin(url, href)


def test_index_to_summary_to_bj_fao_and_back(site, chromium):  # noqa: F811
    browser = Browser(chromium)
    index = (site / "index.html").resolve().as_uri()
    front = browser.open(index)
    # newest year first, each year's summaries named by jurisdiction
    assert [text for text, _ in front.anchors] == ["北京市", "北京市"]
    summary = follow(index, front.by_testid["summary-2023-beijing"])
    assert summary == (site / "2023" / "beijing" / "summary.html").resolve().as_uri()

    listed = browser.open(summary)
    [bj_fao] = [
        href for text, href in listed.anchors if text == "北京市人民政府外事办公室（市外办）"
    ]
    page = follow(summary, bj_fao)
    assert page.endswith("/2023/beijing/departments/BJ-FAO.html")

    department = browser.open(page)
    assert follow(page, department.by_testid["to-summary"]) == summary
    assert follow(page, department.by_testid["to-index"]) == index
    # BJ-FAO's extracts start in 2023: no earlier page to link
    assert "to-prev-year" not in department.by_testid
    assert "to-next-year" not in department.by_testid


def test_a_department_page_links_the_same_department_a_year_earlier_and_back(site, chromium):  # noqa: F811
    browser = Browser(chromium)
    page = (site / "2023" / "beijing" / "departments" / "SYN-001.html").resolve().as_uri()
    this_year = browser.open(page)
    earlier = follow(page, this_year.by_testid["to-prev-year"])
    assert earlier.endswith("/2022/beijing/departments/SYN-001.html")
    last_year = browser.open(earlier)
    assert follow(earlier, last_year.by_testid["to-next-year"]) == page

    summary = (site / "2022" / "beijing" / "summary.html").resolve().as_uri()
    assert follow(summary, browser.open(summary).by_testid["to-next-year"]) == (
        (site / "2023" / "beijing" / "summary.html").resolve().as_uri()
    )
