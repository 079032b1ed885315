"""Build one year's reports: every department (HTML, XLSX, Markdown) and each
jurisdiction's summary (HTML, XLSX), optionally with PDF copies of the HTML.

Every word comes from the message catalog (``report.*``) in the current language
(``pipelines.messages.current()``: Chinese unless ``use("en")``, ``JIXIAO_LANG=en`` or
``lang="en"`` asks for English)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

import pandas as pd

from pipelines.messages import say, use
from pipelines.reports import department, html, markdown, paths, summary, summary_xlsx, xlsx
from pipelines.reports import pdf as printing
from pipelines.reports.data import by_department, load_year

FORMATS = ("html", "xlsx", "md")
FALLBACK_TIME = datetime(2000, 1, 1)
log = logging.getLogger(__name__)


class ReportError(ValueError):
    """A request that cannot be met (unknown format, department not scored…)."""


class NothingToReport(ReportError):
    """The year has no scored department (every one refused: the findings say why)."""


def _write_text(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    return path


def _stamp(runs: pd.DataFrame) -> datetime:
    """The workbooks' timestamp: when the scores were written, so it depends on the
    warehouse only (never on the time of the build)."""
    times = runs["finished_at"].dropna()
    return FALLBACK_TIME if times.empty else pd.Timestamp(times.max()).to_pydatetime()


def build_reports(
    warehouse_path: Path | str,
    year: int,
    out_dir: Path,
    formats: Iterable[str] = FORMATS,
    pdf: bool = False,
    depts: list[str] | None = None,
    lang: str | None = None,
) -> list[Path]:
    """Write ``out_dir/<year>/<jurisdiction>/departments/<dept_code>.<ext>`` and
    ``out_dir/<year>/<jurisdiction>/summary.<html|xlsx>``; return the files written.

    ``depts`` limits the department reports (the summaries still cover every
    department). ``pdf`` also prints each HTML page to PDF when Chromium and a CJK
    font are installed; otherwise it logs why it skipped them. ``lang`` (zh, en…):
    the reports' language, by default the current one.
    """
    if lang is not None:
        with use(lang):
            return build_reports(warehouse_path, year, out_dir, formats, pdf, depts)
    formats = tuple(dict.fromkeys(formats))
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ReportError(
            say(
                "report.error.unknown_format",
                unknown=" ".join(sorted(unknown)),
                choices=" ".join(FORMATS),
            )
        )
    if pdf and "html" not in formats:
        raise ReportError(say("report.error.pdf_needs_html"))
    out_dir = Path(out_dir)
    data = load_year(warehouse_path, year)
    everyone = by_department(data)
    if not everyone:
        raise NothingToReport(say("report.error.nothing", year=year, warehouse=warehouse_path))
    wanted = list(everyone) if depts is None else list(dict.fromkeys(depts))
    missing = [code for code in wanted if code not in everyone]
    if missing:
        codes = say("report.list.enum").join(missing)
        raise ReportError(say("report.error.not_scored", year=year, codes=codes))
    when = _stamp(data.runs)

    written: list[Path] = []
    links: dict[str, dict[str, str]] = {}  # jurisdiction → dept_code → page, for the summary
    for code in wanted:
        report = department.build(everyone[code], data.year)
        written += _department_files(report, out_dir, formats, when)
        page = paths.department_file(out_dir, data.year, report.header.jurisdiction, code, "html")
        links.setdefault(report.header.jurisdiction, {})[code] = f"departments/{page.name}"
    if {"html", "xlsx"} & set(formats):
        for where in sorted(links):
            written += _summary_files(
                summary.build(data, where), out_dir, formats, links[where], when
            )

    if pdf:
        reason = printing.unavailable_reason()
        if reason:
            log.warning(reason)
        else:
            written += printing.print_pages([p for p in written if p.suffix == ".html"])
    return written


def _department_files(
    report: department.DepartmentReport, out_dir: Path, formats: tuple[str, ...], when: datetime
) -> list[Path]:
    h = report.header
    written = []
    for ext in formats:
        path = paths.department_file(out_dir, h.year, h.jurisdiction, h.dept_code, ext)
        if ext == "html":
            _write_text(path, html.department_page(report))
        elif ext == "md":
            _write_text(path, markdown.department_text(report))
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            xlsx.save(xlsx.department_workbook(report), path, when)
        written.append(path)
    return written


def _summary_files(
    report: summary.SummaryReport,
    out_dir: Path,
    formats: tuple[str, ...],
    links: dict[str, str],
    when: datetime,
) -> list[Path]:
    written = []
    if "html" in formats:
        path = paths.summary_file(out_dir, report.year, report.jurisdiction, "html")
        written.append(_write_text(path, html.summary_page(report, links)))
    if "xlsx" in formats:
        path = paths.summary_file(out_dir, report.year, report.jurisdiction, "xlsx")
        path.parent.mkdir(parents=True, exist_ok=True)
        xlsx.save(summary_xlsx.summary_workbook(report), path, when)
        written.append(path)
    return written
