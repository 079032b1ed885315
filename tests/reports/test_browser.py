"""What a reader sees: the department page rendered by headless Chromium.

Required in CI (the CI environment variable set): a missing Chromium fails there.
Locally the test is skipped when /usr/bin/chromium is absent.
"""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from pipelines.reports.pdf import browser_command
from tests.conftest import ROOT
from tests.reports.dom import Page

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts" / "reports"


@pytest.fixture(scope="module")
def chromium() -> str:
    path = str(CHROMIUM) if CHROMIUM.exists() else shutil.which("chromium")
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


def test_the_rendered_page_shows_total_grade_and_chart(chromium, bj_fao):
    done = run(chromium, "--dump-dom", bj_fao["html"].resolve().as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    page = Page(done.stdout)
    assert page.text("total") == "94.83"
    assert page.text("grade") == "优"
    assert "section-chart" in page.svg_inside
    assert "部门整体支出绩效评价结论一览表" in done.stdout


@pytest.mark.parametrize(
    ("name", "relative"),
    [
        ("department-BJ-FAO-2023.png", "departments/BJ-FAO.html"),
        ("summary-2023.png", "summary.html"),
    ],
)
def test_screenshot(chromium, built, name, relative):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / name
    shot.unlink(missing_ok=True)
    page = built / "2023" / "beijing" / relative
    done = run(chromium, f"--screenshot={shot}", "--window-size=1280,2000", page.resolve().as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG")
    assert len(data) > 50_000  # a blank or error page compresses to a few kB
