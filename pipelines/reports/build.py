"""Build one year's reports: every department (HTML, XLSX, Markdown) and each
jurisdiction's summary (HTML, XLSX), optionally with PDF copies of the HTML.

Department reports stream: the departments are taken a chunk at a time (``chunk_size``,
in code order); a chunk's rows of every view are read in one query per view, its
reports rendered and written, and the chunk dropped. Chunks run in worker processes
(``workers``, default one per CPU; each opens the warehouse read-only itself), the
summaries in a process of their own: they read per-department frames and the
per-line and per-finding aggregates DuckDB computes (``data.load_year``), never the
year's lines. ``workers=1`` does it all in this process: the same files.

Every word comes from the message catalog (``report.*``) in the current language
(``pipelines.messages.current()``: Chinese unless ``use("en")``, ``JIXIAO_LANG=en`` or
``lang="en"`` asks for English); the workers get the same language."""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd

from pipelines import progress as bars
from pipelines.messages import current, say, use
from pipelines.reports import (
    data,
    department,
    html,
    markdown,
    paths,
    site,
    summary,
    summary_xlsx,
    xlsx,
)
from pipelines.reports import pdf as printing

FORMATS = ("html", "xlsx", "md")
CHUNK_SIZE = 2000  # departments per chunk: ~60,000 lines, some 100 MB of rows at most
FALLBACK_TIME = datetime(2000, 1, 1)
log = logging.getLogger(__name__)


class ReportError(ValueError):
    """A request that cannot be met (unknown format, department not scored…)."""


class NothingToReport(ReportError):
    """The year has no scored department (every one refused: the findings say why)."""


@dataclass(frozen=True)
class _Chunk:
    """Departments whose reports one task writes (``infos``: their ``v_rankings``
    rows, as ``data.records``)."""

    year: int
    lang: str
    out_dir: Path
    formats: tuple[str, ...]
    when: datetime
    infos: list[dict]
    medians: dict
    rubrics_dir: str | None = None  # where the draft rules are (rubrics/drafts/…)


@dataclass(frozen=True)
class _Summaries:
    """The summaries of ``jurisdictions``, linking to the pages in ``links``."""

    year: int
    lang: str
    out_dir: Path
    formats: tuple[str, ...]
    when: datetime
    jurisdictions: list[str]
    links: dict[str, dict[str, str]]
    page_rows: int = site.RANKING_PAGE_ROWS


def _folder(path: Path, made: set[Path] | None = None) -> None:
    """Make the file's folder, once per folder in ``made`` (a chunk's)."""
    if made is None or path.parent not in made:
        path.parent.mkdir(parents=True, exist_ok=True)
        if made is not None:
            made.add(path.parent)


def _write_text(path: Path, text: str, made: set[Path] | None = None) -> Path:
    _folder(path, made)
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
    departments: bool = True,
    workers: int | None = None,
    chunk_size: int = CHUNK_SIZE,
    progress: bool | None = None,
    rubrics_dir: Path | str | None = None,
    page_rows: int = site.RANKING_PAGE_ROWS,
) -> list[Path]:
    """Write ``out_dir/<year>/<jurisdiction>/departments/<dept_code>.<ext>`` and
    ``out_dir/<year>/<jurisdiction>/summary.<html|xlsx>``; return the files written.
    A jurisdiction of more than ``page_rows`` departments gets its ranking on pages of
    ``page_rows`` (``ranking/page-<n>.html``, with an offline search: ``site``).

    ``depts`` limits the department reports (the summaries still cover every
    department). ``departments=False`` writes the summaries only (linking to the
    department pages already in ``out_dir``). ``pdf`` also prints each HTML page to
    PDF when Chromium and a CJK font are installed; otherwise it logs why it skipped
    them. ``lang`` (zh, en…): the reports' language, by default the current one.
    ``workers``: processes rendering chunks of ``chunk_size`` departments (default:
    one per CPU; 1: in this process). ``progress``: a bar on stderr (default: on a
    terminal outside CI). ``rubrics_dir``: where the draft rules of 存在的问题 and 措施建议
    are (``rubrics/drafts/<jurisdiction>/<year>.yaml``; default ``pipelines.settings``).
    """
    if lang is not None:
        with use(lang):
            return build_reports(
                warehouse_path, year, out_dir, formats, pdf, depts, None, departments,
                workers, chunk_size, progress, rubrics_dir, page_rows,
            )  # fmt: skip
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
    out_dir, year = Path(out_dir), int(year)
    workers = max(1, os.cpu_count() or 1) if workers is None else max(1, int(workers))
    with data.connect(warehouse_path) as con:
        ranked = data.load_departments(con, year)
        when = _stamp(data.load_runs(con, year))
        medians = data.city_medians(con, year) if departments else {}
        pages = site.neighbour_pages(con, year) if departments else {}
    if ranked.empty:
        raise NothingToReport(say("report.error.nothing", year=year, warehouse=warehouse_path))
    scored = [str(code) for code in ranked["dept_code"].tolist()]
    position = {code: i for i, code in enumerate(scored)}
    wanted = scored if depts is None else list(dict.fromkeys(depts))
    missing = [code for code in wanted if code not in position]
    if missing:
        codes = say("report.list.enum").join(missing)
        raise ReportError(say("report.error.not_scored", year=year, codes=codes))

    lang = current()
    where_of = [str(where or "") for where in data.plain(ranked["jurisdiction"])]
    links: dict[str, dict[str, str]] = {}  # jurisdiction → dept_code → page, for the summary
    for code in wanted:
        where = where_of[position[code]]
        page = paths.department_file(out_dir, year, where, code, "html")
        links.setdefault(where, {})
        if departments or page.exists():  # summaries alone: link to the pages there are
            links[where][code] = f"departments/{page.name}"
    codes = sorted(wanted) if departments else []
    rubrics = None if rubrics_dir is None else str(rubrics_dir)
    chunk_size = max(1, int(chunk_size))

    def chunks() -> Iterator[_Chunk]:
        for start in range(0, len(codes), chunk_size):
            rows = ranked.iloc[[position[code] for code in codes[start : start + chunk_size]]]
            infos = [{**i, **pages.get(i["dept_code"], {})} for i in data.records(rows)]
            yield _Chunk(year, lang, out_dir, formats, when, infos, medians, rubrics)

    summary_task = None
    if {"html", "xlsx"} & set(formats):
        summary_task = _Summaries(
            year, lang, out_dir, formats, when, sorted(links), links, max(1, int(page_rows))
        )
    count = -(-len(codes) // chunk_size)

    total = len(codes)
    show = (bars.wanted() if progress is None else progress) and total > 0
    label = say("report.progress", year=year)
    done: set[str] = set()
    summary_files: list[Path] = []
    if show:
        bars.bar(0, total, label)
    for result in _run(warehouse_path, summary_task, chunks(), count, workers):
        if isinstance(result, _SummaryFiles):
            summary_files = list(result.files)
            continue
        done.update(result)
        if show:
            bars.bar(len(done), total, label)
    if show:
        bars.bar(total, total, label, end="\n")

    written = [
        paths.department_file(out_dir, year, where_of[position[code]], code, ext)
        for code in wanted
        if code in done
        for ext in formats
    ]  # the files _department_files wrote, in the order asked for
    written += summary_files
    if "html" in formats:  # the site's front page: every year's summaries on disk
        written.append(_write_text(out_dir / site.INDEX, html.index_page(out_dir)))
    if pdf:
        reason = printing.unavailable_reason()
        if reason:
            log.warning(reason)
        else:
            reports = [p for p in written if p.suffix == ".html" and p.name != site.INDEX]
            written += printing.print_pages(reports)
    return written


@dataclass(frozen=True)
class _SummaryFiles:
    files: list[Path]


def _run(
    warehouse: Path | str,
    summary_task: _Summaries | None,
    chunks: Iterable[_Chunk],
    count: int,
    workers: int,
) -> Iterator[_SummaryFiles | list[str]]:
    """The summaries' files and each of the ``count`` chunks' department codes, as
    they are done: in this process with one worker or chunk (the summaries first), else the
    chunks in a pool of ``workers`` processes (spawned: they share nothing but the
    tasks; at most two tasks per worker made and queued at a time) and the summaries
    meanwhile in a process of their own, whose memory goes when they are written."""
    if workers == 1 or count <= 1:  # one chunk: not worth starting processes
        if summary_task is not None:
            yield _SummaryFiles(_summaries(warehouse, summary_task))
        if count:
            with data.connect(warehouse) as con:
                state = {"con": con}
                for chunk in chunks:
                    yield _departments(state, chunk)
        return
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(
        max_workers=min(workers, count),
        mp_context=context,
        initializer=_start_worker,
        initargs=(str(warehouse),),
    )
    side = ProcessPoolExecutor(max_workers=1, mp_context=context) if summary_task else None
    pending: dict[Future, bool] = {}  # future → whether it writes the summaries
    queue = iter(chunks)
    try:
        if side is not None:
            pending[side.submit(_summaries, str(warehouse), summary_task)] = True
        while True:
            # While the summaries are written, one worker fewer (the pool starts its
            # processes as tasks wait for one): no more processes than CPUs, and the
            # summaries' peak of memory never meets every worker's.
            busy = any(pending.values())
            limit = max(1, workers - 1) if busy else 2 * workers
            for chunk in queue:
                pending[pool.submit(_in_worker, chunk)] = False
                if len(pending) - busy >= limit:
                    break
            if not pending:
                break
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                if pending.pop(future):
                    files = future.result()
                    side.shutdown(wait=True)  # the summaries' process ends, and its memory
                    yield _SummaryFiles(files)
                else:
                    yield future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        if side is not None:
            side.shutdown(wait=True, cancel_futures=True)


# A worker process's state: its connection ("con") and chunk readers (by language).
_WORKER: dict = {}


def _start_worker(warehouse: str) -> None:
    """A worker process: its own read-only connection, one DuckDB thread (the
    processes are the parallelism)."""
    con = data.connect(warehouse)
    con.execute("SET threads = 1")
    _WORKER["con"] = con


def _in_worker(task: _Chunk) -> list[str]:
    return _departments(_WORKER, task)


def _departments(state: dict, task: _Chunk) -> list[str]:
    """Render and write the chunk's department reports; their codes."""
    key = ("reader", task.lang, task.rubrics_dir)
    reader = state.get(key)
    if reader is None:
        reader = state[key] = data.ChunkReader(state["con"], task.lang, task.rubrics_dir)
    out: list[str] = []
    made: set[Path] = set()
    extra = {}  # the 评分表's columns beyond the report's (xlsx.declared)
    if "xlsx" in task.formats:
        codes = [str(info["dept_code"]) for info in task.infos]
        extra = xlsx.declared(state["con"], task.year, codes)
    with use(task.lang):
        for d in reader.load(task.year, task.infos, task.medians):
            report = department.build(d, task.year)
            code = report.header.dept_code
            _department_files(report, task.out_dir, task.formats, task.when, made, extra.get(code))
            out.append(code)
    return out


def _summaries(warehouse: Path | str, task: _Summaries) -> list[Path]:
    """Write the summaries: the year's frames and aggregates read on a connection of
    their own, closed before rendering (DuckDB keeps what the aggregates took)."""
    written: list[Path] = []
    with use(task.lang):
        with data.connect(warehouse) as con:
            year = data.load_year(
                None, task.year, con=con, top=summary.TOP_LOST, samples=summary.SAMPLES
            )
            navs = {w: site.neighbour_summaries(con, task.year, w) for w in task.jurisdictions}
        for where in task.jurisdictions:
            report = summary.build(year, where)
            links = task.links.get(where, {})
            written += _summary_files(
                report, task.out_dir, task.formats, links, task.when, navs[where], task.page_rows
            )
    return written


def _department_files(
    report: department.DepartmentReport,
    out_dir: Path,
    formats: tuple[str, ...],
    when: datetime,
    made: set[Path] | None = None,
    extra: xlsx.Declared | None = None,
) -> list[Path]:
    h = report.header
    written = []
    for ext in formats:
        path = paths.department_file(out_dir, h.year, h.jurisdiction, h.dept_code, ext)
        if ext == "html":
            _write_text(path, html.department_page(report), made)
        elif ext == "md":
            _write_text(path, markdown.department_text(report), made)
        else:
            _folder(path, made)
            xlsx.write(xlsx.department_sheets(report, extra), path, when)
        written.append(path)
    return written


def _summary_files(
    report: summary.SummaryReport,
    out_dir: Path,
    formats: tuple[str, ...],
    links: dict[str, str],
    when: datetime,
    nav: dict | None = None,
    page_rows: int = site.RANKING_PAGE_ROWS,
) -> list[Path]:
    written = []
    if "html" in formats:
        path = paths.summary_file(out_dir, report.year, report.jurisdiction, "html")
        written += html.write_summary_pages(report, links, path, nav or {}, page_rows)
    if "xlsx" in formats:
        path = paths.summary_file(out_dir, report.year, report.jurisdiction, "xlsx")
        path.parent.mkdir(parents=True, exist_ok=True)
        xlsx.write(summary_xlsx.summary_sheets(report), path, when)
        written.append(path)
    return written
