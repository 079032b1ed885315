"""A copy of the bundled raw/2023 year in tmp_path, edited one file per test, and staged.

Everything goes through the real ``read_year`` and ``stage_year`` with the repository's
rubrics; files are real CSV (UTF-8, UTF-8 with BOM, GBK) or xlsx written with openpyxl.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

from pipelines.ingest.refusals import finding_text, reason_text
from pipelines.ingest.stage import RawYear, StagedYear, read_year, stage_year
from pipelines.messages import use
from pipelines.rubric.library import RubricLibrary
from tests.conftest import RUBRICS, SEED_RAW

YEAR = 2023
SEED = "BJ-FAO"
LIBRARY = RubricLibrary(RUBRICS)


def rubric_for(jurisdiction: str):
    return LIBRARY.get(jurisdiction, YEAR).rubric


def _none(value):
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else value


def in_pandas(staged: StagedYear) -> StagedYear:
    """Bulk-lane tables read back into pandas, so one assertion serves both lanes."""
    staged.tables = staged.frames()
    return staged


class Extracts:
    """raw/<year>/ under tmp_path, starting as a copy of the bundled sample year."""

    def __init__(self, tmp_path: Path):
        self.raw_dir = tmp_path / "raw"
        self.dir = self.raw_dir / str(YEAR)
        shutil.copytree(SEED_RAW / str(YEAR), self.dir)

    def path(self, name: str) -> Path:
        return self.dir / name

    # -- text files -------------------------------------------------------------------
    def text(self, name: str) -> str:
        return self.path(name).read_text("utf-8")

    def write_text(self, name: str, text: str, encoding: str = "utf-8") -> None:
        self.path(name).write_bytes(text.encode(encoding))

    def replace(self, name: str, old: str, new: str) -> None:
        """Replace the first ``old`` in a UTF-8 file (which must contain it)."""
        text = self.text(name)
        assert old in text, f"{name} has no {old!r}"
        self.write_text(name, text.replace(old, new, 1))

    def append_line(self, name: str, line: str) -> None:
        text = self.text(name)
        self.write_text(name, text + ("" if text.endswith("\n") else "\n") + line + "\n")

    def rows(self, name: str) -> list[list[str]]:
        return list(csv.reader(io.StringIO(self.text(name), newline="")))

    def write_rows(self, name: str, rows: list[list[str]], encoding: str = "utf-8") -> None:
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(rows)
        self.write_text(name, out.getvalue(), encoding)

    def set_cell(self, name: str, row_number: int, header: str, value: str) -> None:
        """Set one cell of a CSV, addressed by spreadsheet row number and header text."""
        rows = self.rows(name)
        rows[row_number - 1][rows[0].index(header)] = value
        self.write_rows(name, rows)

    def drop_column(self, name: str, header: str) -> None:
        rows = self.rows(name)
        i = rows[0].index(header)
        self.write_rows(name, [r[:i] + r[i + 1 :] for r in rows])

    # -- xlsx ----------------------------------------------------------------------------
    def write_xlsx(self, name: str, rows: list[list[object]], second_sheet: bool = True) -> Path:
        wb = Workbook()
        ws = wb.active
        ws.title = "data"
        for row in rows:
            ws.append(row)
        if second_sheet:  # only the first sheet counts
            wb.create_sheet("说明").append(["部门编码", "not data"])
        path = self.path(name)
        wb.save(path)
        return path

    def csv_to_xlsx(self, stem: str) -> Path:
        """Replace ``<stem>.csv`` by ``<stem>.xlsx``; numbers become real numeric cells."""
        rows = self.rows(f"{stem}.csv")
        typed = [rows[0], *[[as_cell(c) for c in r] for r in rows[1:]]]
        self.path(f"{stem}.csv").unlink()
        return self.write_xlsx(f"{stem}.xlsx", typed)

    # -- a second department -----------------------------------------------------------
    def add_department(self, code: str, jurisdiction: str = "beijing") -> None:
        """Append, to every CSV, a copy of the seed department's rows under ``code``."""
        for path in sorted(self.dir.glob("*.csv")):
            rows = self.rows(path.name)
            head = rows[0]
            new = [[code if c == SEED else c for c in r] for r in rows[1:] if SEED in r]
            if path.stem == "departments":
                col = head.index("jurisdiction")
                for r in new:
                    r[col] = jurisdiction
            self.write_rows(path.name, rows + new)

    # -- staging ---------------------------------------------------------------------------
    def read(self) -> RawYear:
        return read_year(self.raw_dir, YEAR)

    def stage(self) -> StagedYear:
        return in_pandas(stage_year(self.read(), rubric_for))


def as_cell(text: str) -> object:
    """A CSV cell as a spreadsheet would hold it: "19,347.12" → 19347.12, "7" → 7."""
    plain = text.replace(",", "")
    try:
        number = Decimal(plain)
    except InvalidOperation:
        return text
    return int(number) if "." not in plain else float(number)


CJK = re.compile(r"[\u4e00-\u9fff]")


def assert_reads_in_chinese(text: str) -> None:
    """A sentence the catalog filled completely, in Chinese."""
    assert "{" not in text and "‹" not in text, text
    assert CJK.search(text), text


def rejected(staged: StagedYear) -> list[dict]:
    """The refusals as plain dicts (NaN → None), in the order they were made, with the
    reason worded in English (``reason``). Every refusal any test makes must also read
    in Chinese: checked here, so the whole corpus is."""
    rows = []
    for row in staged.rejected.to_dict(orient="records"):
        row = {k: _none(v) for k, v in row.items()}
        code, params = row.pop("reason_code"), row.pop("params")
        assert_reads_in_chinese(reason_text(code, params, "zh"))
        rows.append({**row, "reason": reason_text(code, params, "en")})
    return rows


def reason_codes(staged: StagedYear) -> list[str]:
    return list(staged.rejected["reason_code"])


def findings(staged: StagedYear, code: str | None = None) -> list[dict]:
    """The findings as plain dicts, the message worded in English (``message``); every
    one must also read in Chinese."""
    rows = []
    for row in staged.findings.to_dict(orient="records"):
        row = {k: _none(v) for k, v in row.items()}
        params = row.pop("params")
        assert_reads_in_chinese(finding_text(row["code"], params, "zh"))
        rows.append({**row, "message": finding_text(row["code"], params, "en")})
    return [r for r in rows if code is None or r["code"] == code]


def blocking(staged: StagedYear, lang: str = "en") -> list[str]:
    """Why the year stops, as callers show it (``str()`` in the current language)."""
    with use(lang):
        return [str(m) for m in staged.blocking]


def seed_staged() -> StagedYear:
    """The bundled year staged untouched (the reference every variant is compared to)."""
    return stage_year(read_year(SEED_RAW, YEAR), rubric_for)
