"""The department a report is read for, as the year's extracts and its rubric know it:
the names its report's tables print (sections, lines, declared indicators) and the
names it goes by, to tell its report from another department's."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipelines.ingest.read import ReadError, find_extract, read_table
from pipelines.ingest.spec import extract_specs, header_key
from pipelines.intake.errors import IntakeError
from pipelines.intake.find import Names
from pipelines.rubric import RubricError
from pipelines.rubric.library import RubricLibrary

_BRACKETED = re.compile(r"[（(]([^（()）]*)[）)]")


@dataclass(frozen=True)
class Department:
    code: str
    name: str
    names: Names
    known_as: tuple[str, ...]  # the names that show a report is this department's
    others: dict[str, tuple[str, ...]]  # the year's other departments → their names


def _extract(
    year_dir: Path, name: str, columns: tuple[str, ...], required: bool
) -> pd.DataFrame | None:
    """The extract's cells by identifier (text), or None when it is absent (or, when not
    ``required``, lacks one of ``columns``)."""
    found = find_extract(year_dir, name)
    if not found:
        if required:
            raise IntakeError("no_extract", folder=year_dir, extract=name)
        return None
    spec = extract_specs()[name]
    by_header = spec.header_map()
    try:
        frame, _ = read_table(found[0], set(by_header))
    except ReadError as exc:
        raise IntakeError("extract_unreadable", file=found[0], reason=exc.reason) from None
    frame = frame.rename(columns=lambda h: by_header.get(header_key(h), h))
    for column in ("dept_code", *columns):
        if column not in frame:
            if not required:
                return None
            raise IntakeError("extract_column", file=found[0], column=column)
    frame["dept_code"] = frame["dept_code"].map(lambda c: unicodedata.normalize("NFKC", c).strip())
    frame.attrs["path"] = found[0]
    return frame


def names_of(name: str) -> list[str]:
    """北京市人民政府外事办公室（市外办） → the full name, the name without its bracketed
    part, and the bracketed short name."""
    base = _BRACKETED.sub("", name).strip()
    found = [name, base, *_BRACKETED.findall(name)]
    return [n for n in dict.fromkeys("".join(x.split()) for x in found) if len(n) >= 2]


def department_rubric(raw_dir: Path, year: int, code: str, rubrics_dir: Path):
    """(the rubric ``code`` is scored with in ``year``, its ``departments`` row, the
    year's ``departments`` extract)."""
    year_dir = Path(raw_dir) / str(year)
    departments = _extract(year_dir, "departments", ("dept_name", "jurisdiction"), True)
    mine = departments[departments["dept_code"] == code]
    if mine.empty:
        raise IntakeError("unknown_department", dept=code, file=departments.attrs["path"])
    row = mine.iloc[0]
    try:
        rubric = RubricLibrary(rubrics_dir).get(str(row["jurisdiction"]).strip(), year).rubric
    except RubricError as exc:
        raise IntakeError("rubric", dept=code, year=year, error=str(exc)) from None
    return rubric, row, departments


def load_department(raw_dir: Path, year: int, code: str, rubrics_dir: Path) -> Department:
    year_dir = Path(raw_dir) / str(year)
    rubric, row, departments = department_rubric(raw_dir, year, code, rubrics_dir)
    lines = {p.code: p.line.name for p in rubric.fixed_lines()}
    indicators = _extract(year_dir, "indicators", ("line_code", "name"), False)
    if indicators is not None:
        for r in indicators[indicators["dept_code"] == code].itertuples():
            lines[r.line_code.strip()] = r.name.strip()
    # a name two departments share (合成数据) tells no report apart
    every = {str(r.dept_code): names_of(str(r.dept_name)) for r in departments.itertuples()}
    shared = Counter(n for names in every.values() for n in set(names))
    every = {c: tuple(n for n in names if shared[n] == 1) for c, names in every.items()}
    return Department(
        code=code,
        name=str(row["dept_name"]),
        names=Names({c: s.name for c, s in rubric.sections.items()}, lines),
        known_as=every.pop(code),
        others={c: names for c, names in every.items() if names},
    )
