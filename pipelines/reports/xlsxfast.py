"""The reports' workbooks written straight to bytes: the same bytes ``xlsx.save`` gets
from openpyxl for the same sheets, at a small fraction of the cost.

openpyxl builds an object per cell and writes every sheet through a temporary file:
~50 ms a department workbook, so 100,000 departments took over an hour for this
format alone. This writer knows the few things ``xlsx.add_sheet`` asks of openpyxl
(a bold, filled header row; a number format per column, or per cell; wrapped long
text; column widths; a frozen first row; merged cells) and writes each worksheet's
XML as openpyxl writes it.
The parts that do not depend on the cells (workbook, relationships, content types,
document properties, theme) come from openpyxl itself, once per set of sheet names
(and are compressed once), and so does the stylesheet, once per set of styles used.
The zip archive is laid out as ``xlsx.save`` lays it out with ``zipfile``.

A value this writer does not know how openpyxl would write (a formula-like text,
an error code, a control character, a date…) raises ``Unsupported``: ``xlsx.write``
then lets openpyxl write that workbook. ``tests/reports/test_xlsx.py`` checks that
both give the same bytes, workbook by workbook.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING

from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles.cell_style import StyleArray
from openpyxl.styles.numbers import BUILTIN_FORMATS_MAX_SIZE, BUILTIN_FORMATS_REVERSE
from openpyxl.styles.stylesheet import write_stylesheet
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.merge import MergeCell, MergeCells
from openpyxl.writer.excel import ExcelWriter
from openpyxl.xml.functions import tostring

from pipelines.reports import xlsx  # (partly imported here: xlsx imports this module)

if TYPE_CHECKING:
    from pipelines.reports.xlsx import Sheet

MAX_TEXT = 32767  # openpyxl cuts longer text: left to it
STYLES = "xl/styles.xml"
SHEET_PREFIX = "xl/worksheets/sheet"
HEAD = (
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<sheetPr><outlinePr summaryBelow="1" summaryRight="1" /><pageSetUpPr /></sheetPr>'
    '<dimension ref="A1:{dimension}" />'
    '<sheetViews><sheetView workbookViewId="0">'
    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen" />'
    '<selection pane="bottomLeft" activeCell="A1" sqref="A1" />'
    "</sheetView></sheetViews>"
    '<sheetFormatPr baseColWidth="8" defaultRowHeight="15" />'
)
TAIL = (
    "</sheetData>{merges}"
    '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5" />'
    "</worksheet>"
)
HEADER_FONT_ID, HEADER_FILL_ID, WRAP_ID = 1, 2, 1  # their places in openpyxl's lists
# The zip entries as xlsx.save writes them with zipfile: deflated, the 1980 epoch,
# -rw-r--r--, no extra field, no comment.
DOS_DATE, DOS_TIME = (0 << 9) | (1 << 5) | 1, 0  # xlsx.ZIP_EPOCH: 1980-01-01 00:00:00
EXTERNAL_ATTR = 0o644 << 16
VERSION = zipfile.DEFAULT_VERSION
CREATE_SYSTEM = zipfile.ZipInfo().create_system


class Unsupported(ValueError):
    """A workbook this writer leaves to openpyxl."""


def _number(value: object) -> str:
    """A number as openpyxl writes it (``safe_string``: 16 significant digits)."""
    text = "%.16g" % value  # noqa: UP031 (openpyxl's own formatting)
    if text[-1] in "nf":  # nan, inf: openpyxl writes an empty value its own way
        raise Unsupported(value)
    return text


def _text(value: str) -> str:
    """A text cell's ``<is>``: escaped as ElementTree escapes, with xml:space when
    openpyxl adds it (``openpyxl.xml.functions.whitespace``). Short texts (names,
    labels, codes) repeat from workbook to workbook: each is escaped once."""
    if len(value) <= SHORT:
        done = _SHORT_TEXTS.get(value)
        if done is None:
            if len(_SHORT_TEXTS) >= 1 << 16:
                _SHORT_TEXTS.clear()
            done = _SHORT_TEXTS[value] = _escaped(value)
        return done
    return _escaped(value)


SHORT = 40
_SHORT_TEXTS: dict[str, str] = {}


def _escaped(value: str) -> str:
    if len(value) > MAX_TEXT or value in ERROR_CODES or (len(value) > 1 and value[0] == "="):
        raise Unsupported(value)
    if not value.isprintable() and ILLEGAL_CHARACTERS_RE.search(value):
        raise Unsupported(value)
    escaped = value
    if "&" in escaped:
        escaped = escaped.replace("&", "&amp;")
    if "<" in escaped:
        escaped = escaped.replace("<", "&lt;")
    if ">" in escaped:
        escaped = escaped.replace(">", "&gt;")
    stripped = value.strip()
    if stripped and value != stripped:
        return f'<is><t xml:space="preserve">{escaped}</t></is>'
    return f"<is><t>{escaped}</t></is>"


class _Styles:
    """What openpyxl's workbook registers: custom number formats in the order they are
    set, cell styles (font, fill, number format, alignment) in the order written."""

    def __init__(self) -> None:
        self.formats: dict[str, int] = {}
        self.arrays: dict[tuple[int, int, int, int], int] = {}

    def number_format(self, fmt: str | None) -> int:
        if not fmt:
            return 0
        if fmt in BUILTIN_FORMATS_REVERSE:
            return BUILTIN_FORMATS_REVERSE[fmt]
        return BUILTIN_FORMATS_MAX_SIZE + self.formats.setdefault(fmt, len(self.formats))

    def attribute(self, array: tuple[int, int, int, int]) -> str:
        """The cell's ``s`` attribute: the style's place in the order first written."""
        return f' s="{self.arrays.setdefault(array, len(self.arrays) + 1)}"'


def _worksheet(sheet: Sheet, styles: _Styles) -> Iterator[str]:
    """The sheet's XML as openpyxl writes it after ``add_sheet`` (and, for the overview,
    ``_number_formats``): the same values, number formats, wrapping and widths. In
    pieces: a summary's sheet has a row per department."""
    AMOUNT, MAX_WIDTH, RATE, SCORE = xlsx.AMOUNT, xlsx.MAX_WIDTH, xlsx.RATE, xlsx.SCORE
    _width, rounded = xlsx._width, xlsx.number

    names, formats = list(sheet.columns), list(sheet.columns.values())
    rounds = [j for j, fmt in enumerate(formats) if fmt in (SCORE, AMOUNT, RATE)]
    rows = []
    for given in sheet.rows:  # the values as xlsx._cell stores them
        row = list(given)
        if len(row) != len(names):  # add_sheet's zip(strict=True) says what is wrong
            raise Unsupported(row)
        for j in rounds:
            if row[j] is not None:
                row[j] = rounded(row[j])
        rows.append(row)
    # number formats are set column by column as add_sheet goes (the custom ones
    # take their ids in that order), then by the overview's content formats
    ids = [styles.number_format(fmt) for fmt in formats] if rows else []
    widths = []
    for j, fmt in enumerate(formats):  # xlsx.add_sheet's widths: what _shown shows
        widest = _width(names[j])
        for row in rows:
            v = row[j]
            if v is None:
                continue
            if type(v) is str:
                shown = _text_width(v)
            elif fmt and isinstance(v, int | float):
                shown = len(f"{v:,.2f}")
            else:
                shown = _width(v)
            if shown > widest:
                widest = shown
        widths.append(min(widest + 2, MAX_WIDTH))
    content: list[tuple[int, bool]] = []
    if sheet.formats is not None:  # xlsx._number_formats: the content column
        for row, fmt in zip(rows, sheet.formats, strict=True):
            v = row[1]
            content.append(
                (
                    styles.number_format(fmt or SCORE) if isinstance(v, float) else ids[1],
                    isinstance(v, str) and len(v) > 30,
                )
            )
        widths[1] = MAX_WIDTH
    # xlsx.workbook then sets the cells' own number formats, and merges the ranges: the
    # cells a range covers (all but its first) are written as openpyxl's MergedCell, that
    # is not at all
    own = {at: styles.number_format(fmt) for at, fmt in sheet.cell_formats.items()}
    covered, ranges = _merged(sheet.merges)

    letters = [get_column_letter(j) for j in range(1, len(names) + 1)]
    out = [HEAD.format(dimension=f"{letters[-1]}{len(rows) + 1}"), "<cols>"]
    out += [
        f'<col width="{_number(float(w))}" customWidth="1" min="{j}" max="{j}" />'
        for j, w in enumerate(widths, start=1)
    ]
    out.append('</cols><sheetData><row r="1">')
    header = styles.attribute((HEADER_FONT_ID, HEADER_FILL_ID, 0, 0))
    out += [_cell(f"{letter}1", name, header) for letter, name in zip(letters, names, strict=True)]
    out.append("</row>")
    attribute, columns = styles.attribute, list(zip(letters, ids, strict=False))
    styled_as: dict[tuple[int, bool], str] = {}  # (number format, wrap) → s="…" or ""
    for i, row in enumerate(rows, start=2):
        cells = []
        add = cells.append
        special = content[i - 2] if content else None
        for j, v in enumerate(row):
            if covered and (i, j) in covered:
                continue
            letter, fmt_id = columns[j]
            wrap = False
            if special is not None and j == 1:
                fmt_id, wrap = special
            if own:
                fmt_id = own.get((i - 2, j), fmt_id)
            kind = type(v)
            if kind is str and not wrap and len(v) * 2 > MAX_WIDTH:  # long text wraps
                wrap = _text_width(v) > MAX_WIDTH
            styled = styled_as.get((fmt_id, wrap))
            if styled is None:  # the first cell of a style gives it its id
                array = (0, 0, fmt_id, WRAP_ID if wrap else 0)
                styled = styled_as[(fmt_id, wrap)] = attribute(array) if fmt_id or wrap else ""
            # each cell as openpyxl's etree_write_cell writes it
            if v is None:
                if styled:
                    add(f'<c r="{letter}{i}"{styled} t="n" />')
            elif kind is str:
                if v:
                    add(f'<c r="{letter}{i}"{styled} t="inlineStr">{_text(v)}</c>')
                else:
                    add(f'<c r="{letter}{i}"{styled} t="inlineStr" />')
            elif kind is float or kind is int:
                add(f'<c r="{letter}{i}"{styled} t="n"><v>{_number(v)}</v></c>')
            else:  # bool, Decimal, numpy, dates, str subclasses…
                raise Unsupported(v)
        if not cells:  # openpyxl writes an empty row element its own way
            raise Unsupported(i)
        out.append(f'<row r="{i}">{"".join(cells)}</row>')
        if len(out) >= 1000:
            yield "".join(out)
            out = []
    out.append(TAIL.format(merges=ranges))
    yield "".join(out)


def _merged(refs: Sequence[str]) -> tuple[set[tuple[int, int]], str]:
    """The cells the merged ranges cover, (sheet row from 1, column from 0), and their
    ``<mergeCells>`` element as openpyxl writes it: from a set of ranges, in its order."""
    if not refs:
        return set(), ""
    covered: set[tuple[int, int]] = set()
    ranges: set[CellRange] = set()
    for ref in refs:
        cr = CellRange(ref)
        ranges.add(cr)
        covered.update(
            (r, c - 1)
            for r in range(cr.min_row, cr.max_row + 1)
            for c in range(cr.min_col, cr.max_col + 1)
            if (r, c) != (cr.min_row, cr.min_col)
        )
    element = MergeCells(mergeCell=[MergeCell(str(cr)) for cr in ranges]).to_tree()
    return covered, tostring(element).decode("utf-8")


_WIDTHS: dict[str, int] = {}


def _text_width(text: str) -> int:
    """``xlsx._width`` of a text, looked up once for the short ones (names, labels)."""
    if len(text) > SHORT:
        return xlsx._width(text)
    width = _WIDTHS.get(text)
    if width is None:
        if len(_WIDTHS) >= 1 << 16:
            _WIDTHS.clear()
        width = _WIDTHS[text] = xlsx._width(text)
    return width


def _cell(ref: str, v: object, styled: str) -> str:
    """One ``<c>`` as openpyxl's ``etree_write_cell`` writes it ("" for none)."""
    if v is None:
        return f'<c r="{ref}"{styled} t="n" />' if styled else ""
    if type(v) is str:
        if not v:
            return f'<c r="{ref}"{styled} t="inlineStr" />'
        return f'<c r="{ref}"{styled} t="inlineStr">{_text(v)}</c>'
    if type(v) in (int, float):
        return f'<c r="{ref}"{styled} t="n"><v>{_number(v)}</v></c>'
    raise Unsupported(v)  # bool, Decimal, numpy, dates, str subclasses…


def _deflated(name: str, pieces: Iterable[bytes]) -> tuple[bytes, int, int, bytes]:
    """(name, CRC, size, compressed data) as zipfile deflates one ``writestr`` of the
    pieces joined (deflate gives the same stream however its input is cut)."""
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    packed, crc, size = [], 0, 0
    for piece in pieces:
        crc, size = zlib.crc32(piece, crc), size + len(piece)
        packed.append(compressor.compress(piece))
    packed.append(compressor.flush())
    return name.encode("ascii"), crc, size, b"".join(packed)


def _encoded(pieces: Iterable[str]) -> Iterator[bytes]:
    try:
        for piece in pieces:
            yield piece.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise Unsupported(exc) from exc


def _zip(entries: list[tuple[bytes, int, int, bytes]]) -> bytes:
    """The archive zipfile writes for these entries (local headers and data, then the
    central directory and its end record)."""
    out = io.BytesIO()
    central = []
    local = struct.Struct(zipfile.structFileHeader)
    directory = struct.Struct(zipfile.structCentralDir)
    for name, crc, size, packed in entries:
        fields = (zipfile.ZIP_DEFLATED, DOS_TIME, DOS_DATE, crc, len(packed), size, len(name))
        central.append((out.tell(), name, fields))
        # version, reserved, flags; fields; no extra field
        out.write(local.pack(zipfile.stringFileHeader, VERSION, 0, 0, *fields, 0))
        out.write(name)
        out.write(packed)
    start = out.tell()
    for offset, name, fields in central:
        # versions, system, reserved, flags; fields; no extra, comment, disk, internal attr
        head = (zipfile.stringCentralDir, VERSION, CREATE_SYSTEM, VERSION, 0, 0)
        out.write(directory.pack(*head, *fields, 0, 0, 0, 0, EXTERNAL_ATTR, offset))
        out.write(name)
    size, count = out.tell() - start, len(entries)
    end = (zipfile.stringEndArchive, 0, 0, count, count, size, start, 0)
    out.write(struct.pack(zipfile.structEndArchive, *end))
    return out.getvalue()


@lru_cache(maxsize=32)
def _skeleton(titles: tuple[str, ...], when: datetime) -> tuple:
    """Every part of the workbook in openpyxl's order: the name alone for the worksheets
    and the stylesheet, which depend on the cells; the deflated entry for the others."""
    wb = xlsx.new_workbook()
    for title in titles:
        wb.create_sheet(title)
    xlsx.stamp(wb, when)
    raw = io.BytesIO()
    ExcelWriter(wb, zipfile.ZipFile(raw, "w", zipfile.ZIP_STORED, allowZip64=True)).save()
    with zipfile.ZipFile(raw) as src:
        return tuple(
            name
            if name == STYLES or name.startswith(SHEET_PREFIX)
            else _deflated(name, [src.read(name)])
            for name in src.namelist()
        )


@lru_cache(maxsize=64)
def _stylesheet(formats: tuple[str, ...], arrays: tuple[tuple[int, int, int, int], ...]) -> bytes:
    """openpyxl's styles.xml for a workbook that registered these custom number formats
    and these cell styles, in this order (``_Styles``)."""
    wb = xlsx.new_workbook()
    ids = (
        wb._fonts.add(xlsx.HEADER_FONT),
        wb._fills.add(xlsx.HEADER_FILL),
        wb._alignments.add(xlsx.WRAP),
    )
    if ids != (HEADER_FONT_ID, HEADER_FILL_ID, WRAP_ID):  # another openpyxl: let it write
        raise Unsupported(ids)
    for fmt in formats:
        wb._number_formats.add(fmt)
    for font, fill, number_format, alignment in arrays:
        array = StyleArray()
        array.fontId, array.fillId = font, fill
        array.numFmtId, array.alignmentId = number_format, alignment
        wb._cell_styles.add(array)
    return tostring(write_stylesheet(wb))


def workbook_bytes(sheets: Sequence[Sheet], when: datetime) -> bytes:
    """The .xlsx file of ``sheets``, byte for byte as ``xlsx.save(xlsx.workbook(sheets))``."""
    styles = _Styles()
    written = {
        f"{SHEET_PREFIX}{i}.xml": _deflated(
            f"{SHEET_PREFIX}{i}.xml", _encoded(_worksheet(sheet, styles))
        )
        for i, sheet in enumerate(sheets, start=1)
    }  # in order: the cell styles take their ids as the sheets are written
    stylesheet = _stylesheet(tuple(styles.formats), tuple(styles.arrays))
    written[STYLES] = _deflated(STYLES, [stylesheet])
    skeleton = _skeleton(tuple(sheet.title for sheet in sheets), when)
    if {part for part in skeleton if isinstance(part, str)} != set(written):
        raise Unsupported(skeleton)
    return _zip([written[part] if isinstance(part, str) else part for part in skeleton])
