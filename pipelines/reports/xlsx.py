"""Excel workbooks, written with XlsxWriter: one sheet per part of a report, sheet
names and headers from the catalog (report.sheet.*, report.field.*), number formats,
a frozen header row, and byte-identical files for the same inputs. openpyxl only reads
them back (``jixiao intake scoresheet``).

Every value is written by its type: text with ``write_string``, so a department called
``=HYPERLINK(…)`` is that text and never a formula; numbers with ``write_number``."""

from __future__ import annotations

import io
import math
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from numbers import Real
from pathlib import Path

import duckdb
import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_cell_to_rowcol
from xlsxwriter.worksheet import Worksheet

from pipelines.messages import say
from pipelines.reports.department import DepartmentReport, ScoreRow
from pipelines.reports.numbers import amount, number
from pipelines.reports.ranking import movement
from pipelines.reports.templating import grade_label, jurisdiction_label, word

SCORE, AMOUNT, RATE, INT, TEXT = "0.00", "#,##0.00", "0.00", "0", None
HEADER = {"bold": True, "pattern": 1, "bg_color": "#EEF2F7"}
WRAP = {"text_wrap": True, "valign": "top"}
MAX_WIDTH = 60
AUTHOR = "jixiao"
# in memory: no temporary files, and the zip entries dated 1980-01-01 whatever the clock;
# text is text even where XlsxWriter would guess (merge_range writes with write())
OPTIONS = {
    "in_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


@dataclass
class Sheet:
    """One sheet to write; ``formats``, for the overview only: the number format of each
    row's content (its second column) when that is a number; ``cell_formats``: (row,
    column) of ``rows`` (from 0) → the number format of that cell, where it is not its
    column's; ``merges``: the merged ranges (``A2:A5``). A merged range keeps the value
    of its first cell (the others are given as None)."""

    title: str
    columns: dict[str, str | None]
    rows: list[Sequence]
    formats: list[str | None] | None = None
    cell_formats: dict[tuple[int, int], str] = field(default_factory=dict)
    merges: list[str] = field(default_factory=list)


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


def _text_width(text: str) -> int:
    """``_width`` of a text; the short ones (names, labels, codes) repeat from workbook to
    workbook and are measured once."""
    return _short_width(text) if len(text) <= 40 else _width(text)


_short_width = lru_cache(maxsize=1 << 16)(_width)


def _cell(value: object, fmt: str | None) -> object:
    return number(value) if fmt in (SCORE, AMOUNT, RATE) and value is not None else value


def _shown(value: object, fmt: str | None) -> str:
    if isinstance(value, int | float) and fmt:
        return f"{value:,.2f}"
    return "" if value is None else str(value)


class _Formats:
    """A workbook's cell formats: the header's, and one per (number format, wrapped)."""

    def __init__(self, wb: xlsxwriter.Workbook) -> None:
        self.wb = wb
        self.header = wb.add_format(HEADER)
        self.made: dict[tuple[str | None, bool], Format | None] = {(None, False): None}

    def __call__(self, num_format: str | None, wrap: bool) -> Format | None:
        key = (num_format, wrap)
        if key not in self.made:
            props = {"num_format": num_format} if num_format else {}
            self.made[key] = self.wb.add_format(props | WRAP if wrap else props)
        return self.made[key]


def _put(ws: Worksheet, row: int, col: int, value: object, fmt: Format | None) -> None:
    """One cell, written by its type; nothing (or a formatted blank) for None, "" or a
    number that is not finite."""
    if isinstance(value, Decimal):
        value = float(value)  # the double nearest, written in its shortest form: 18.83
    if isinstance(value, str):
        if value:
            ws.write_string(row, col, value, fmt)
            return
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, fmt)
        return
    elif isinstance(value, Real):
        if math.isfinite(value):
            ws.write_number(row, col, value, fmt)
            return
    elif value is not None:
        ws.write_string(row, col, str(value), fmt)
        return
    if fmt is not None:
        ws.write_blank(row, col, None, fmt)


def _merged(refs: Iterable[str]) -> list[tuple[int, int, int, int]]:
    """(first row, first column, last row, last column) of each range, from 0."""
    out = []
    for ref in refs:
        first, _, last = ref.partition(":")
        out.append((*xl_cell_to_rowcol(first), *xl_cell_to_rowcol(last or first)))
    return out


def _add(wb: xlsxwriter.Workbook, formats: _Formats, sheet: Sheet) -> None:
    """The sheet: a bold, filled header row, frozen; each column's number format on its
    cells (a cell's own where ``cell_formats`` says), long text wrapped, each column as
    wide as its widest value (at most ``MAX_WIDTH``); the merged ranges, each holding
    its first cell's value and format."""
    ws = wb.add_worksheet(sheet.title)
    names, fmts = list(sheet.columns), list(sheet.columns.values())
    content, own = sheet.formats, sheet.cell_formats
    merged = _merged(sheet.merges)
    firsts: dict[tuple[int, int], tuple[object, Format | None]] = {
        (r1, c1): (None, None) for r1, c1, _, _ in merged
    }
    covered = {
        (r, c) for r1, c1, r2, c2 in merged for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)
    }.difference(firsts)
    widths = [_width(name) for name in names]
    for j, name in enumerate(names):
        ws.write_string(0, j, name, formats.header)
    for r, given in enumerate(sheet.rows, start=1):
        for j, (v, fmt) in enumerate(zip(given, fmts, strict=True)):
            v = _cell(v, fmt)
            wrap = False
            if v is None:
                shown = 0
            elif isinstance(v, str):
                shown = _text_width(v)
                wrap = shown > MAX_WIDTH
            else:
                shown = _width(_shown(v, fmt))
            if shown > widths[j]:
                widths[j] = shown
            if content is not None and j == 1:  # the overview: text and numbers in one column
                if isinstance(v, float):
                    fmt = content[r - 1] or SCORE
                wrap = wrap or (isinstance(v, str) and len(v) > 30)
            if own:
                fmt = own.get((r - 1, j), fmt)
            if covered and (r, j) in covered:
                continue
            style = formats(fmt, wrap)
            if (r, j) in firsts:  # written with its range, below
                firsts[(r, j)] = (v, style)
            else:
                _put(ws, r, j, v, style)
    for r1, c1, r2, c2 in merged:
        v, style = firsts[(r1, c1)]
        ws.merge_range(r1, c1, r2, c2, None, style)  # blank: merge_range would guess the type
        _put(ws, r1, c1, v, style)
    for j, widest in enumerate(widths):
        wide = MAX_WIDTH if content is not None and j == 1 else min(widest + 2, MAX_WIDTH)
        ws.set_column(j, j, wide)
    ws.freeze_panes(1, 0)


def workbook_bytes(sheets: Iterable[Sheet], when: datetime) -> bytes:
    """The .xlsx file of ``sheets``: its document properties say ``when`` (created and
    modified) and ``AUTHOR``, so the same sheets give the same bytes."""
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, OPTIONS)
    wb.set_properties({"author": AUTHOR, "created": when})
    formats = _Formats(wb)
    for sheet in sheets:
        _add(wb, formats, sheet)
    wb.close()
    return out.getvalue()


def write(sheets: Iterable[Sheet], path: Path, when: datetime) -> None:
    """Save the workbook of ``sheets`` at ``path`` (``workbook_bytes``)."""
    path.write_bytes(workbook_bytes(sheets, when))


def columns(*fields: tuple[str, str | None]) -> dict[str, str | None]:
    """(report.field.<key>, number format) pairs as a ``Sheet``'s header → format
    (None: text), in the current language."""
    return {word(f"report.field.{key}"): fmt for key, fmt in fields}


OVERVIEW = (("item", TEXT), ("content", TEXT), ("unit_note", TEXT))
SECTIONS = (("evaluation_item", TEXT), ("weight", SCORE), ("evaluation_score", SCORE),
            ("city_median", SCORE))  # fmt: skip
# The 评分表 sheet: the columns of the published 附表一 first (一级/二级/三级指标, 指标值,
# 完成值, 分值, 得分), then what the project adds for reading it back (``jixiao intake
# scoresheet``): the line's code, and what a declared indicator is (report.field.<key>,
# or report.xlsx.column.<key> for the last four but one).
SCORE_TABLE = (
    ("section", TEXT), ("group", TEXT), ("line", TEXT), ("target", TEXT), ("actual", TEXT),
    ("weight", SCORE), ("score", SCORE), ("line_code", TEXT), ("subgroup", TEXT),
    ("kind", TEXT), ("direction", TEXT), ("unit", TEXT), ("assessed_score", SCORE),
    ("lost", SCORE),
)  # fmt: skip
OWN_COLUMNS = ("kind", "direction", "unit", "assessed_score")  # report.xlsx.column.<key>
SCORE_COLUMN = {key: j for j, (key, _) in enumerate(SCORE_TABLE)}
PERCENT = "0.00%"  # a rate of the table (6.81%), stored as the fraction Excel expects
IDENTITY = ("dept_code", "dept_name", "year", "jurisdiction", "rubric")  # below 合计
GRADES = ("优", "良", "中", "差")


@dataclass(frozen=True)
class Declared:
    """What the warehouse's staged extracts say of a department's lines beyond its
    scores: each declared indicator's kind, direction, unit and assessed score, and
    which criteria of each checklist line failed."""

    indicators: dict[str, dict] = field(default_factory=dict)  # line_code → columns
    failed: dict[str, list[int]] = field(default_factory=dict)  # line_code → criteria


def declared(con: duckdb.DuckDBPyConnection, year: int, codes: list[str]) -> dict[str, Declared]:
    """dept_code → ``Declared``, for the departments ``codes`` of the year (none for a
    warehouse without the staged tables)."""
    if not codes:
        return {}
    out: dict[str, Declared] = {}
    try:
        rows = con.execute(
            """SELECT dept_code, line_code, kind, direction, unit, assessed_score
               FROM staged_indicators WHERE year = ? AND list_contains(?, dept_code)""",
            [int(year), codes],
        ).fetchall()
        failed = con.execute(
            """SELECT dept_code, line_code, criterion_no FROM staged_checklist
               WHERE year = ? AND list_contains(?, dept_code) AND NOT passed
               ORDER BY dept_code, line_code, criterion_no""",
            [int(year), codes],
        ).fetchall()
    except duckdb.Error:
        return {}
    for dept, line, kind, direction, unit, assessed in rows:
        d = out.setdefault(dept, Declared())
        d.indicators[line] = {
            "kind": kind,
            "direction": direction,
            "unit": unit,
            "assessed_score": None if assessed is None else float(assessed),
        }
    for dept, line, criterion in failed:
        out.setdefault(dept, Declared()).failed.setdefault(line, []).append(int(criterion))
    return out


def _numeric(text: str) -> Decimal | None:
    try:
        d = Decimal(text.replace(",", "").strip())
    except (InvalidOperation, AttributeError):
        return None
    return d if d.is_finite() else None


def _plain(d: Decimal) -> int | float:
    """A declared value as a number cell: an integer as one, else the float of its text."""
    return int(d) if d == d.to_integral_value() else float(d)


def _value_cell(text: str | None, indicator: bool) -> tuple[object, str | None]:
    """A target or actual as the sheet holds it, and its number format when it is not
    the column's: a grade or a checklist count as text, a rate (6.81%) as a percentage,
    an amount (19347.12) as an amount, a declared indicator's value as its number."""
    if text is None:
        return None, None
    if text.endswith("%"):
        d = _numeric(text[:-1])
        if d is not None:
            return float(d / 100), PERCENT
    d = _numeric(text)
    if d is None:
        return text, None
    if indicator:  # its decimals as written (215.70), kept by the cell's format
        places = -d.as_tuple().exponent
        return _plain(d), ("0." + "0" * places if places > 0 else None)
    return number(d), AMOUNT


def _checklist_actual(text: str | None, failed: list[int] | None) -> str | None:
    """ "2 项不合格" with the criteria that failed, when the warehouse says which."""
    if not failed or text is None:
        return text
    which = say("cli.list_sep").join(str(n) for n in failed)
    return say("report.xlsx.failed_which", n=len(failed), which=which)


def _with_weight(name: str, weight: object) -> str:
    return word("report.department.with_weight", name=name, weight=amount(weight))


def _score_sheet(r: DepartmentReport, extra: Declared | None) -> Sheet:
    """The 评分表 in the layout of the published 附表一: a section's cell merged down its
    lines, a group's down its group, a line without a group named across both columns;
    then 合计 and whose table it is."""
    extra = extra or Declared()
    header = {
        (
            word(f"report.xlsx.column.{key}") if key in OWN_COLUMNS else word(f"report.field.{key}")
        ): fmt
        for key, fmt in SCORE_TABLE
    }
    rows: list[list] = []
    cell_formats: dict[tuple[int, int], str] = {}
    merges: list[str] = []
    col = SCORE_COLUMN
    for i, x in enumerate(r.score_rows):
        row: list = [None] * len(SCORE_TABLE)
        at = i + 2  # the sheet's row
        if x.section_rowspan:
            row[col["section"]] = _with_weight(x.section_name, x.section_weight)
            if x.section_rowspan > 1:
                merges.append(f"A{at}:A{at + x.section_rowspan - 1}")
        if x.group_name is None:
            row[col["group"]] = x.line_name
            merges.append(f"B{at}:C{at}")
        else:
            if x.group_rowspan:
                row[col["group"]] = _with_weight(x.group_name, x.group_weight)
                if x.group_rowspan > 1:
                    merges.append(f"B{at}:B{at + x.group_rowspan - 1}")
            row[col["line"]] = x.line_name
        _line_cells(row, i, x, extra, cell_formats)
        rows.append(row)
    total = [None] * len(SCORE_TABLE)
    total[col["section"]] = word("report.field.sum")
    total[col["weight"]], total[col["score"]] = r.weight_total, r.total
    total[col["lost"]] = r.lost_total
    rows.append(total)
    merges.append(f"A{len(rows) + 1}:E{len(rows) + 1}")
    h = r.header
    facts = {
        "dept_code": h.dept_code,
        "dept_name": h.dept_name,
        "year": h.year,
        "jurisdiction": jurisdiction_label(h.jurisdiction),
        "rubric": h.rubric_id,
    }
    for key in IDENTITY:
        row = [None] * len(SCORE_TABLE)
        row[0], row[1] = word(f"report.field.{key}"), facts[key]
        rows.append(row)
        merges.append(f"B{len(rows) + 1}:E{len(rows) + 1}")
    return Sheet(say("report.sheet.scores"), header, rows, None, cell_formats, merges)


def _line_cells(
    row: list, i: int, x: ScoreRow, extra: Declared, cell_formats: dict[tuple[int, int], str]
) -> None:
    col = SCORE_COLUMN
    own = extra.indicators.get(x.line_code)
    actual = x.actual
    if x.line_code in extra.failed:
        actual = _checklist_actual(actual, extra.failed[x.line_code])
    for key, text in (("target", x.target), ("actual", actual)):
        value, fmt = _value_cell(text, own is not None)
        row[col[key]] = value
        if fmt:
            cell_formats[(i, col[key])] = fmt
    row[col["weight"]], row[col["score"]] = x.weight, x.score
    row[col["line_code"]], row[col["subgroup"]] = x.line_code, x.subgroup
    kind = (own or {}).get("kind")
    if kind is None and own is None and x.subgroup is not None:  # no staged extracts
        kind = "qualitative" if x.target in GRADES else "quantitative"
    if kind:
        row[col["kind"]] = word(f"report.xlsx.kind.{kind}")
    if own:
        if own.get("direction"):
            row[col["direction"]] = word(f"report.xlsx.direction.{own['direction']}")
        row[col["unit"]] = own.get("unit")
        row[col["assessed_score"]] = own.get("assessed_score")
    row[col["lost"]] = x.lost if x.score is not None else None


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


def department_sheets(r: DepartmentReport, extra: Declared | None = None) -> list[Sheet]:
    """The department workbook's sheets; ``extra``: what ``declared`` read of the
    department (without it the 评分表 says what the report alone knows)."""
    k = r.ranking
    overview = _overview_rows(r)
    sections = [(s["name"], s["weight"], s["score"], s["city_median"]) for s in r.sections]
    total = (say("report.field.total"), r.weight_total, r.total, None)
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
        _score_sheet(r, extra),
        Sheet(say("report.sheet.lost"), columns(*LOST), lost),
        Sheet(say("report.sheet.findings"), columns(*FINDINGS), findings),
        Sheet(say("report.sheet.ranking"), columns(*RANKING), [ranking]),
    ]
