"""``jixiao intake scoresheet``: a filled-in 评分表 (xlsx, the layout of 附表一 that the
department report's workbook writes, ``pipelines/reports/xlsx.py``) → the department's
rows of ``indicators``, ``checklist`` and ``self_reported``.

The sheet is found by its header row (一级指标, 二级指标, 三级指标, 指标值, 完成值, 分值,
得分, in Chinese or English, as the report catalog writes them); merged cells count for
every cell they cover. Each row below the header is a line of the table up to 合计;
below 合计, whose table it is (部门编码, 部门名称, 年度). A line is known by its 指标编码, or,
for the rubric's own lines, by its name:

- a declared indicator (a line of a group the rubric lets departments declare, such as
  产出 and 效果) becomes an ``indicators`` row: its group from the 二级指标 cell, its
  kind, direction, unit and assessed score from the columns the project adds;
- a checklist line ("3 项标准" / "1 项不合格（第 2 项）") becomes ``checklist`` rows, one per
  criterion: the ones named failed, else the first N (and a note says so);
- every 得分 becomes a ``self_reported`` row (the department's claim), 合计 its TOTAL.

Every check comes before the first write: a sheet that is refused changes nothing.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from pipelines.ingest.read import find_extract
from pipelines.intake.department import department_rubric, names_of
from pipelines.intake.errors import IntakeError
from pipelines.intake.write import Written, replace_department
from pipelines.messages import languages, say
from pipelines.rubric.model import Rubric

SUFFIXES = (".xlsx", ".xlsm")
# report.field.<key> (or report.xlsx.column.<key>) → what the column holds
REQUIRED = ("section", "group", "line", "target", "actual", "weight", "score")
OPTIONAL = ("line_code", "subgroup", "lost")
OWN = ("kind", "direction", "unit", "assessed_score")
IDENTITY = ("dept_code", "dept_name", "year")
GRADES = ("优", "良", "中", "差")
_WEIGHTED = re.compile(r"^(.*?)\s*[（(]\s*\d+(?:\.\d+)?\s*[)）]$")
_COUNT = re.compile(r"(\d+)")
_WHICH = re.compile(r"[（(][^)）]*?([\d、,，\s]+)[^)）]*[)）]")
EXTRACTS = ("indicators", "checklist", "self_reported")


@dataclass(frozen=True)
class Scoresheet:
    file: Path
    year: int
    dept: str
    sheet: str
    rows: dict[str, list[dict[str, str]]]  # extract → the department's rows
    written: dict[str, Written]
    dry_run: bool = False


def _key(text: object) -> str:
    return "".join(unicodedata.normalize("NFKC", str(text)).split()).casefold()


def _headers() -> dict[str, str]:
    """A header's words (in any language of the catalog) → its column key."""
    out: dict[str, str] = {}
    for lang in languages():
        for key in (*REQUIRED, *OPTIONAL):
            out[_key(say(f"report.field.{key}", lang=lang))] = key
        for key in OWN:
            out[_key(say(f"report.xlsx.column.{key}", lang=lang))] = key
    return out


def _labels(prefix: str, keys: tuple[str, ...]) -> dict[str, str]:
    """A value's words in any language (定量, quantitative…) → its identifier."""
    out = {}
    for lang in languages():
        for key in keys:
            out[_key(say(f"{prefix}.{key}", lang=lang))] = key
        for key in keys:
            out[_key(key)] = key
    return out


def _open(file: Path):
    if not file.is_file():
        raise IntakeError("not_found", file=file)
    if file.suffix.lower() not in SUFFIXES:
        raise IntakeError("scoresheet_not_xlsx", file=file, error=file.suffix or "—")
    try:
        return load_workbook(file, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        error = str(exc) or type(exc).__name__
        raise IntakeError("scoresheet_not_xlsx", file=file, error=error) from None


_PLACES = re.compile(r"^0\.(0+)$")


def _value(c) -> object:
    """A cell's value; a number shown with fixed decimals (0.00) as the Decimal it shows
    (215.70), so a declared value keeps the places it was written with."""
    v = c.value
    if isinstance(v, int | float) and not isinstance(v, bool):
        m = _PLACES.match(str(c.number_format))
        if m:
            return Decimal(repr(v)).quantize(Decimal(1).scaleb(-len(m.group(1))))
    return v


def _grid(ws) -> list[list[object]]:
    """The sheet's values, each merged range's value in every cell it covers."""
    grid = [[_value(c) for c in row] for row in ws.iter_rows()]
    for cr in ws.merged_cells.ranges:
        value = grid[cr.min_row - 1][cr.min_col - 1]
        for r in range(cr.min_row, cr.max_row + 1):
            for c in range(cr.min_col, cr.max_col + 1):
                grid[r - 1][c - 1] = value
    return grid


def _find_table(file: Path, wb) -> tuple[str, list[list[object]], int, dict[str, int]]:
    """The sheet in the 附表一 layout: its name, cells, header row (from 0) and columns."""
    headers = _headers()
    for ws in wb.worksheets:
        grid = _grid(ws)
        for i, row in enumerate(grid[:10]):
            columns: dict[str, int] = {}
            for j, cell in enumerate(row):
                key = headers.get(_key(cell)) if cell is not None else None
                if key and key not in columns:
                    columns[key] = j
            if all(k in columns for k in REQUIRED):
                return ws.title, grid, i, columns
    wanted = say("cli.list_sep").join(say(f"report.field.{k}") for k in REQUIRED)
    raise IntakeError("scoresheet_layout", file=file, columns=wanted)


def _ref(sheet: str, row: int, col: int) -> str:
    return f"{sheet}!{get_column_letter(col + 1)}{row + 1}"


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _number(value: object) -> Decimal | None:
    """A number cell, or a text that is one (19,347.12); None when empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int | float):
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    try:
        return Decimal(unicodedata.normalize("NFKC", str(value)).replace(",", "").strip())
    except InvalidOperation:
        raise ValueError(value) from None


def _plain(d: Decimal) -> str:
    """A number as the extracts write it: 3642, 16.8, 7.50 → 7.5."""
    if d == d.to_integral_value():
        return str(int(d))
    return format(d.normalize(), "f")


def _points(d: Decimal) -> str:
    """A weight or a score as the extracts write it: 7.50, 0.00."""
    return format(d.quantize(Decimal("0.01")), "f") if d.as_tuple().exponent >= -2 else _plain(d)


def _name(cell: object) -> str:
    """产出（30） → 产出."""
    text = _text(cell)
    m = _WEIGHTED.match(text)
    return m.group(1).strip() if m else text


@dataclass
class _Context:
    file: Path
    sheet: str
    rubric: Rubric
    columns: dict[str, int]


def _rubric(raw_dir: Path, year: int, dept: str, rubrics_dir: Path) -> tuple[Rubric, str]:
    rubric, row, _ = department_rubric(raw_dir, year, dept, rubrics_dir)
    return rubric, str(row["dept_name"])


def _check_identity(
    ctx: _Context, grid: list[list[object]], start: int, dept: str, name: str, year: int
) -> None:
    """Below 合计: 部门编码, 部门名称 and 年度, when the sheet says them, must be this
    department's and this year's."""
    labels = {}
    for lang in languages():
        for key in IDENTITY:
            labels[_key(say(f"report.field.{key}", lang=lang))] = key
    for i in range(start, len(grid)):
        row = grid[i]
        key = labels.get(_key(row[0])) if row and row[0] is not None else None
        if key is None or len(row) < 2:
            continue
        value, ref = _text(row[1]), _ref(ctx.sheet, i, 1)
        if key == "dept_code" and _key(value) != _key(dept):
            raise IntakeError(
                "scoresheet_department", file=ctx.file, cell=ref, found=value, dept=dept, name=name
            )
        if key == "dept_name" and _key(value) not in {_key(n) for n in [name, *names_of(name)]}:
            raise IntakeError(
                "scoresheet_department", file=ctx.file, cell=ref, found=value, dept=dept, name=name
            )
        if key == "year":
            found = _text(row[1])
            try:
                same = int(Decimal(found)) == int(year)
            except (InvalidOperation, ValueError):
                same = False
            if not same:
                raise IntakeError(
                    "scoresheet_year", file=ctx.file, cell=ref, found=found, year=year
                )


def _checklist(ctx: _Context, dept: str, code: str, target, actual, i: int) -> list[dict]:
    """ "3 项标准" and "1 项不合格（第 2 项）" (or "3 项标准 / 1 项不合格" in one cell) → a row
    per criterion."""
    criteria = ctx.rubric.checklist_criteria()[code]
    text = f"{_text(target)} / {_text(actual)}"
    counts = [int(n) for n in _COUNT.findall(text.split("（")[0].split("(")[0])]
    failed_at = ctx.columns["actual"]
    if len(counts) < 2 or counts[0] != criteria or counts[-1] > criteria:
        raise IntakeError(
            "scoresheet_checklist",
            file=ctx.file,
            cell=_ref(ctx.sheet, i, failed_at),
            found=text,
            n=criteria,
        )
    failed = counts[-1]
    which_match = _WHICH.search(_text(actual))
    note = ""
    if which_match:
        which = sorted({int(n) for n in re.findall(r"\d+", which_match.group(1))})
        if len(which) != failed or any(n < 1 or n > criteria for n in which):
            raise IntakeError(
                "scoresheet_checklist",
                file=ctx.file,
                cell=_ref(ctx.sheet, i, failed_at),
                found=text,
                n=criteria,
            )
    else:
        which = list(range(1, failed + 1))
        note = say("intake.scoresheet.which_unknown") if failed else ""
    passed, failed_word = "是", "否"
    return [
        {
            "dept_code": dept,
            "line_code": code,
            "criterion_no": str(n),
            "passed": failed_word if n in which else passed,
            "note": note if n in which else "",
        }
        for n in range(1, criteria + 1)
    ]


def read_scoresheet(
    file: Path, year: int, dept: str, raw_dir: Path, rubrics_dir: Path
) -> tuple[str, dict[str, list[dict[str, str]]]]:
    """The sheet's name and the department's rows of each extract; raises
    ``IntakeError`` naming the file (and the cell) for a sheet it cannot take."""
    file = Path(file)
    rubric, name = _rubric(raw_dir, year, dept, rubrics_dir)
    wb = _open(file)
    sheet, grid, top, columns = _find_table(file, wb)
    ctx = _Context(file, sheet, rubric, columns)
    fixed = {p.code: p for p in rubric.fixed_lines()}
    fixed_by_name = {_key(p.line.name): p.code for p in fixed.values()}
    declared = {_key(g.name): code for code, (_, g) in rubric.declared_groups().items()}
    declared |= {_key(code): code for code in rubric.declared_groups()}
    checklist_lines = rubric.checklist_criteria()
    kinds = _labels("report.xlsx.kind", ("quantitative", "qualitative"))
    directions = _labels("report.xlsx.direction", ("positive", "reverse"))
    totals = {_key(say("report.field.sum", lang=lang)) for lang in languages()}
    source = say("intake.scoresheet.source", file=file.name, sheet=sheet)
    rows: dict[str, list[dict[str, str]]] = {e: [] for e in EXTRACTS}
    seen: set[str] = set()
    end = None
    col = columns

    def cell(row: list, key: str) -> object:
        j = col.get(key)
        return row[j] if j is not None and j < len(row) else None

    def number(row: list, key: str, i: int, required: bool = False) -> Decimal | None:
        try:
            d = _number(cell(row, key))
        except ValueError:
            d, bad = None, True
        else:
            bad = required and d is None
        if bad:
            raise IntakeError(
                "scoresheet_number",
                file=file,
                cell=_ref(sheet, i, col[key]),
                found=_text(cell(row, key)),
            )
        return d

    for i in range(top + 1, len(grid)):
        row = grid[i]
        if not any(v is not None and _text(v) for v in row):
            continue
        if _key(cell(row, "section")) in totals:
            total = number(row, "score", i)
            if total is not None:
                rows["self_reported"].append(
                    {
                        "dept_code": dept,
                        "line_code": "TOTAL",
                        "reported_score": _points(total),
                        "source": source,
                    }
                )
            end = i + 1
            break
        group_cell, line_cell = cell(row, "group"), cell(row, "line")
        line_name = _text(line_cell) or _text(group_cell)
        code = _text(cell(row, "line_code")) or fixed_by_name.get(_key(line_name), "")
        if not code:
            raise IntakeError(
                "scoresheet_line", file=file, cell=_ref(sheet, i, col["line"]), found=line_name
            )
        if code in seen:
            raise IntakeError(
                "scoresheet_twice",
                file=file,
                cell=_ref(sheet, i, col.get("line_code", col["line"])),
                code=code,
            )
        seen.add(code)
        score = number(row, "score", i)
        if code in fixed:
            if code in checklist_lines:
                rows["checklist"] += _checklist(
                    ctx, dept, code, cell(row, "target"), cell(row, "actual"), i
                )
        else:
            group = declared.get(_key(_name(group_cell)))
            if group is None:
                raise IntakeError(
                    "scoresheet_group",
                    file=file,
                    cell=_ref(sheet, i, col["group"]),
                    found=_text(group_cell),
                    code=code,
                )
            weight = number(row, "weight", i, required=True)
            values = {}
            for key in ("target", "actual"):
                v = cell(row, key)
                if isinstance(v, Decimal):
                    values[key] = format(v, "f")
                elif isinstance(v, int | float) and not isinstance(v, bool):
                    values[key] = _plain(_number(v))
                else:
                    values[key] = _text(v)
            kind = kinds.get(_key(cell(row, "kind"))) if cell(row, "kind") is not None else None
            if kind is None:
                kind = "qualitative" if values["target"] in GRADES else "quantitative"
            direction = (
                directions.get(_key(cell(row, "direction")), "")
                if cell(row, "direction") is not None
                else ""
            )
            assessed = number(row, "assessed_score", i) if "assessed_score" in col else None
            rows["indicators"].append(
                {
                    "dept_code": dept,
                    "line_code": code,
                    "group": group,
                    "name": _text(line_cell) or line_name,
                    "kind": kind,
                    "target": values["target"],
                    "actual": values["actual"],
                    "weight": _points(weight),
                    "direction": direction,
                    "unit": _text(cell(row, "unit")),
                    "assessed_score": "" if assessed is None else _points(assessed),
                    "subgroup": _text(cell(row, "subgroup")),
                }
            )
        if score is not None:
            rows["self_reported"].append(
                {
                    "dept_code": dept,
                    "line_code": code,
                    "reported_score": _points(score),
                    "source": source,
                }
            )
    if not seen:
        wanted = say("cli.list_sep").join(say(f"report.field.{k}") for k in REQUIRED)
        raise IntakeError("scoresheet_layout", file=file, columns=wanted)
    _check_identity(ctx, grid, end if end is not None else len(grid), dept, name, year)
    return sheet, rows


def intake_scoresheet(
    file: Path,
    year: int,
    dept: str,
    raw_dir: Path,
    rubrics_dir: Path,
    dry_run: bool = False,
) -> Scoresheet:
    sheet, rows = read_scoresheet(file, year, dept, raw_dir, rubrics_dir)
    year_dir = Path(raw_dir) / str(year)
    # an extract the sheet has no rows for, and the folder no file of, stays absent
    wanted = [e for e in EXTRACTS if rows[e] or find_extract(year_dir, e)]
    # every extract is checked (a dry run) before the first is written
    for extract in wanted:
        replace_department(raw_dir, year, dept, rows[extract], True, extract)
    written = {
        extract: replace_department(raw_dir, year, dept, rows[extract], dry_run, extract)
        for extract in wanted
    }
    return Scoresheet(Path(file), year, dept, sheet, rows, written, dry_run)
