"""Excel workbooks (openpyxl): one sheet per part of a report, sheet names and headers
from the catalog (report.sheet.*, report.field.*), number formats, a frozen header
row, and byte-identical files for the same inputs."""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zipfile import ZIP_DEFLATED, ZIP_STORED, ZipFile, ZipInfo

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from pipelines.messages import say
from pipelines.reports import xlsxfast
from pipelines.reports.department import DepartmentReport
from pipelines.reports.numbers import number
from pipelines.reports.ranking import movement
from pipelines.reports.templating import grade_label, jurisdiction_label, word

SCORE, AMOUNT, RATE, INT, TEXT = "0.00", "#,##0.00", "0.00", "0", None
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="EEF2F7")
WRAP = Alignment(wrap_text=True, vertical="top")
MAX_WIDTH = 60
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


@dataclass
class Sheet:
    """One sheet as ``add_sheet`` takes it; ``formats``, for the overview only: the
    number format of each row's content (``_number_formats``)."""

    title: str
    columns: dict[str, str | None]
    rows: list[Sequence]
    formats: list[str | None] | None = None


class _CharWidths(dict):
    """Columns a character takes: 2 for wide (CJK) ones, else 1; looked up once each."""

    def __missing__(self, ch: str) -> int:
        self[ch] = width = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        return width


_CHAR_WIDTHS = _CharWidths()


def _width(value: object) -> int:
    text = "" if value is None else str(value)
    if text.isascii():
        return len(text)
    return sum(map(_CHAR_WIDTHS.__getitem__, text))


def _cell(value: object, fmt: str | None) -> object:
    return number(value) if fmt in (SCORE, AMOUNT, RATE) and value is not None else value


def _shown(value: object, fmt: str | None) -> str:
    if isinstance(value, int | float) and fmt:
        return f"{value:,.2f}"
    return "" if value is None else str(value)


def add_sheet(
    wb: Workbook, title: str, columns: dict[str, str | None], rows: Iterable[Sequence]
) -> None:
    """``columns``: header → number format (None: text); see ``columns()``."""
    ws = wb.create_sheet(title)
    formats = list(columns.values())
    ws.append(list(columns))
    for row in rows:
        ws.append([_cell(v, fmt) for v, fmt in zip(row, formats, strict=True)])
    for c in ws[1]:
        c.font, c.fill = HEADER_FONT, HEADER_FILL
    for j, (name, fmt) in enumerate(columns.items(), start=1):
        widest = _width(name)
        for (c,) in ws.iter_rows(min_row=2, min_col=j, max_col=j):
            if fmt:
                c.number_format = fmt
            widest = max(widest, _width(_shown(c.value, fmt)))
            if isinstance(c.value, str) and _width(c.value) > MAX_WIDTH:
                c.alignment = WRAP
        ws.column_dimensions[get_column_letter(j)].width = min(widest + 2, MAX_WIDTH)
    ws.freeze_panes = "A2"


def stamp(wb: Workbook, when: datetime) -> None:
    """The document properties: fixed, so the same inputs give the same bytes."""
    wb.properties.created = wb.properties.modified = when
    wb.properties.creator = wb.properties.lastModifiedBy = "jixiao"


def save(wb: Workbook, path: Path, when: datetime) -> None:
    """Write the workbook with fixed timestamps, in the document properties and in
    the zip entries alike, so the same inputs give the same bytes."""
    stamp(wb, when)
    raw = io.BytesIO()  # stored, not compressed: it is read back and compressed once below
    ExcelWriter(wb, ZipFile(raw, "w", ZIP_STORED, allowZip64=True)).save()
    out = io.BytesIO()
    with ZipFile(raw) as src, ZipFile(out, "w", ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = ZipInfo(info.filename, date_time=ZIP_EPOCH)
            entry.compress_type, entry.external_attr = ZIP_DEFLATED, 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    path.write_bytes(out.getvalue())


def new_workbook() -> Workbook:
    wb = Workbook()
    wb.remove(wb.active)
    return wb


def workbook(sheets: Iterable[Sheet]) -> Workbook:
    """The openpyxl workbook of ``sheets``."""
    wb = new_workbook()
    for sheet in sheets:
        add_sheet(wb, sheet.title, sheet.columns, sheet.rows)
        if sheet.formats is not None:
            _number_formats(wb[sheet.title], sheet.formats)
    return wb


def write(sheets: list[Sheet], path: Path, when: datetime) -> None:
    """Save the workbook of ``sheets`` at ``path``: the bytes ``save(workbook(sheets))``
    gives, written directly (``xlsxfast``) unless a value needs openpyxl itself."""
    try:
        data = xlsxfast.workbook_bytes(sheets, when)
    except xlsxfast.Unsupported:
        save(workbook(sheets), path, when)
        return
    path.write_bytes(data)


def columns(*fields: tuple[str, str | None]) -> dict[str, str | None]:
    """(report.field.<key>, number format) pairs as ``add_sheet``'s header → format,
    in the current language."""
    return {word(f"report.field.{key}"): fmt for key, fmt in fields}


OVERVIEW = (("item", TEXT), ("content", TEXT), ("unit_note", TEXT))
SECTIONS = (("evaluation_item", TEXT), ("weight", SCORE), ("evaluation_score", SCORE),
            ("city_median", SCORE))  # fmt: skip
SCORE_TABLE = (
    ("section", TEXT), ("group", TEXT), ("line", TEXT), ("line_code", TEXT), ("subgroup", TEXT),
    ("target", TEXT), ("actual", TEXT), ("weight", SCORE), ("score", SCORE), ("lost", SCORE),
)  # fmt: skip
LOST = (
    ("section", TEXT), ("line_code", TEXT), ("indicator", TEXT), ("weight", SCORE),
    ("score", SCORE), ("lost", SCORE), ("derivation", TEXT),
)  # fmt: skip
FINDINGS = (("severity", TEXT), ("code", TEXT), ("indicator", TEXT), ("message", TEXT))
RANKING = (
    ("year", INT), ("city_rank", INT), ("scored", INT), ("category", TEXT),
    ("category_rank", INT), ("category_out_of", INT), ("percentile_pct", "0.0"),
    ("total", SCORE), ("grade", TEXT), ("prior_total_full", SCORE), ("prior_rank", INT),
    ("score_change", SCORE), ("rank_change", TEXT),
)  # fmt: skip
SENTENCES = ("execution", "carryover", "difference", "conclusion")  # report.xlsx.<key>


def _overview_rows(r: DepartmentReport) -> list[tuple]:
    """(label, content, unit or note, number format of the content)."""
    h, k = r.header, r.ranking

    def fact(key: str, content: object, note: str | None = None, fmt: str | None = None):
        return (word(f"report.field.{key}"), content, note, fmt)

    wan, percent = say("report.unit.wan"), say("report.unit.percent")
    full_marks = say("report.xlsx.full_marks", weight=f"{r.weight_total:.2f}")
    rows = [
        fact("dept_code", h.dept_code), fact("dept_name", h.dept_name), fact("year", h.year),
        fact("jurisdiction", jurisdiction_label(h.jurisdiction)), fact("category", h.category),
        fact("rubric", h.rubric_id), fact("rubric_hash", h.rubric_hash),
        fact("run_id", h.run_id),
        fact("total", number(r.total), full_marks, SCORE),
        fact("grade", grade_label(r.grade)),
        fact("city_rank", k["rank"], say("report.xlsx.out_of", n=k["rank_out_of"])),
    ]  # fmt: skip
    rows += [(word(f"report.amount.{col}"), number(v), wan, AMOUNT) for col, v in r.amounts.items()]
    rows += [(word(f"report.rate.{col}"), number(v), percent, RATE) for col, v in r.rates.items()]
    return rows + [
        (word(f"report.xlsx.{key}"), r.sentences[key] or None, None, None) for key in SENTENCES
    ]


def department_sheets(r: DepartmentReport) -> list[Sheet]:
    k = r.ranking
    overview = _overview_rows(r)
    sections = [(s["name"], s["weight"], s["score"], s["city_median"]) for s in r.sections]
    total = (say("report.field.total"), r.weight_total, r.total, None)
    scores = [
        (x.section_name, x.group_name, x.line_name, x.line_code, x.subgroup, x.target, x.actual,
         x.weight, x.score, x.lost)
        for x in r.score_rows
    ]  # fmt: skip
    lost = [
        (x.section_name, x.line_code, x.line_name, x.weight, x.score, x.lost, x.explanation)
        for x in r.lost_rows
    ]
    findings = [(f.severity_label, f.code, f.line, f.message) for f in r.findings]
    ranking = (
        r.header.year, k["rank"], k["rank_out_of"], k["category"], k["category_rank"],
        k["category_out_of"], k["percentile"], r.total, grade_label(r.grade), k["prior_total"],
        k["prior_rank"], k["total_change"], movement(k["rank_change"]),
    )  # fmt: skip
    return [
        Sheet(
            say("report.sheet.overview"),
            columns(*OVERVIEW),
            [row[:3] for row in overview],
            [row[3] for row in overview],
        ),
        Sheet(say("report.sheet.sections"), columns(*SECTIONS), [*sections, total]),
        Sheet(say("report.sheet.scores"), columns(*SCORE_TABLE), scores),
        Sheet(say("report.sheet.lost"), columns(*LOST), lost),
        Sheet(say("report.sheet.findings"), columns(*FINDINGS), findings),
        Sheet(say("report.sheet.ranking"), columns(*RANKING), [ranking]),
    ]


def department_workbook(r: DepartmentReport) -> Workbook:
    return workbook(department_sheets(r))


def _number_formats(ws, formats: list[str | None]) -> None:
    """The overview mixes text and numbers in one column: each row's number format."""
    for (_, content, _), fmt in zip(ws.iter_rows(min_row=2), formats, strict=True):
        if isinstance(content.value, float):
            content.number_format = fmt or SCORE
        if isinstance(content.value, str) and len(content.value) > 30:
            content.alignment = WRAP
    ws.column_dimensions["B"].width = MAX_WIDTH
