"""PDF copies of the HTML pages, printed by headless Chromium.

Optional: it needs a Chromium binary and a CJK font (without one the Chinese text
prints as empty boxes), so it is skipped, with a message saying what is missing,
when either is absent. Each page is one Chromium process (~1 s); pages print in
parallel, one process per CPU.
"""

from __future__ import annotations

import contextvars
import os
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pipelines.messages import say

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
INSTALL_HINT = "apt-get install chromium fonts-noto-cjk"
# No network, no first-run work, a throwaway profile: the page is a local file.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
)
TIMEOUT_S = 120


def find_browser() -> str | None:
    return next((path for name in BROWSERS if (path := shutil.which(name))), None)


def has_cjk_font() -> bool:
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return False
    found = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True)
    return found.returncode == 0 and bool(found.stdout.strip())


def unavailable_reason() -> str | None:
    """Why PDFs cannot be printed here, or None when they can."""
    missing = []
    if find_browser() is None:
        missing.append(say("report.pdf.no_browser"))
    if not has_cjk_font():
        missing.append(say("report.pdf.no_font"))
    if not missing:
        return None
    return say("report.pdf.skipped", missing=say("report.pdf.and").join(missing), hint=INSTALL_HINT)


def browser_command(browser: str, profile: str, *args: str) -> list[str]:
    return [browser, *FLAGS, f"--user-data-dir={profile}", *args]


def print_page(html: Path, pdf: Path, browser: str) -> Path:
    pdf.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="jixiao-chromium-") as profile:
        command = browser_command(
            browser,
            profile,
            f"--print-to-pdf={pdf}",
            "--no-pdf-header-footer",
            html.resolve().as_uri(),
        )
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_S)
    if done.returncode != 0 or not pdf.exists():
        raise RuntimeError(say("report.pdf.failed", page=html, detail=done.stderr[-2000:]))
    return pdf


def print_pages(pages: list[Path], workers: int | None = None) -> list[Path]:
    """``page.html`` → ``page.pdf`` beside it, for every page."""
    browser = find_browser()
    if browser is None:
        raise RuntimeError(unavailable_reason())
    workers = workers or os.cpu_count() or 1
    with ThreadPoolExecutor(max_workers=workers) as pool:
        # each in a copy of this context: a message says it in the caller's language
        jobs = [
            pool.submit(
                contextvars.copy_context().run, print_page, p, p.with_suffix(".pdf"), browser
            )
            for p in pages
        ]
        return [job.result() for job in jobs]
