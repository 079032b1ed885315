"""What a reader sees: the department page and the summary rendered by headless Chromium.

Required in CI (the CI environment variable set): a missing Chromium fails there.
Locally the test is skipped when no Chromium is on PATH (the browser the PDF writer finds).
"""

import os
import subprocess
import tempfile

import pytest

from pipelines.reports.pdf import browser_command, find_browser
from tests.reports.conftest import YEAR
from tests.reports.dom import Page
from tests.reports.wording import known_codes, latin_words, warehouse_sentences

PAGES = {"department": "departments/BJ-FAO.html", "summary": "summary.html"}


@pytest.fixture(scope="module")
def chromium() -> str:
    path = find_browser()
    if path:
        return path
    message = "headless Chromium is needed: apt-get install chromium fonts-noto-cjk"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def run(chromium: str, *args: str) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory(prefix="jixiao-test-chromium-") as profile:
        return subprocess.run(
            browser_command(chromium, profile, *args),
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip


@pytest.fixture(scope="module")
def rendered(chromium, built) -> dict[str, Page]:
    """Each page's DOM as Chromium built it (--dump-dom), once per page."""
    pages = {}
    for name, relative in PAGES.items():
        page = built / str(YEAR) / "beijing" / relative
        done = run(chromium, "--dump-dom", page.resolve().as_uri())
        assert done.returncode == 0, done.stderr[-2000:]
        pages[name] = Page(done.stdout)
    return pages


@pytest.fixture(scope="module")
def codes(warehouse) -> set[str]:
    return known_codes(warehouse, YEAR)


def test_the_rendered_page_shows_total_grade_and_chart(rendered):
    page = rendered["department"]
    assert page.text("total") == "94.83"
    assert page.text("grade") == "优"
    assert "section-chart" in page.svg_inside
    assert "部门整体支出绩效评价结论一览表" in page.shown


@pytest.mark.parametrize("name", PAGES)
def test_the_reports_own_words_are_chinese(rendered, codes, warehouse, name):
    """Every word the report writes itself (headers, labels, chart text, units…) is
    Chinese; Latin letters only in identifiers. Sentences the warehouse renders are
    left to the next test."""
    own, _ = latin_words(rendered[name].shown, codes, warehouse_sentences(warehouse, YEAR))
    assert not own, "\n".join(own)


@pytest.mark.parametrize("name", PAGES)
def test_no_latin_word_outside_identifiers(rendered, codes, name):
    """All of it, the warehouse's sentences (v_line_scores.explanation, v_findings.message,
    v_rejected_rows.reason) included."""
    own, theirs = latin_words(rendered[name].shown, codes, [])
    assert not own + theirs, "Latin words outside identifiers:\n" + "\n".join(own + theirs)


@pytest.mark.parametrize("name", PAGES)
def test_screenshot(chromium, built, tmp_path, name):
    shot = tmp_path / f"{name}-{YEAR}.png"
    page = built / str(YEAR) / "beijing" / PAGES[name]
    done = run(chromium, f"--screenshot={shot}", "--window-size=1280,2000", page.resolve().as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG")
    assert len(data) > 50_000  # a blank or error page compresses to a few kB
