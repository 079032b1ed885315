"""One year of the warehouse as data frames: each view is queried once for the
whole year, then split per department in pandas (never one query per department)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from pipelines.messages import current
from pipelines.messages.sql import suffix

# The city median of each section is computed in SQL over the year's departments of
# the same jurisdiction, next to each department's own section score. As DOUBLE: the
# median of a DECIMAL(18,2) keeps 2 places (18.665 → 18.66) before the report rounds half-up.
QUERIES = {
    "departments": """
        SELECT r.*, d.rubric_hash, d.uncapped_total
        FROM v_rankings r JOIN v_department_scores d USING (year, dept_code)
        WHERE year = ? ORDER BY r.jurisdiction, r.rank, r.dept_code""",
    "sections": """
        SELECT s.*, d.jurisdiction,
               median(s.score::DOUBLE) OVER (PARTITION BY d.jurisdiction, s.section) AS city_median
        FROM v_section_scores s JOIN v_department_scores d USING (year, dept_code)
        WHERE year = ? ORDER BY s.dept_code, s.section_order""",
    "groups": """SELECT * FROM v_group_scores WHERE year = ?
        ORDER BY dept_code, section, group_order""",
    "lines": """SELECT * FROM v_line_scores WHERE year = ?
        ORDER BY dept_code, section_order, group_order, line_order, line_code""",
    "findings": """SELECT * FROM v_findings WHERE year = ?
        ORDER BY dept_code NULLS FIRST, severity, code, line_code NULLS FIRST, message""",
    "rates": "SELECT * FROM v_budget_rates WHERE year = ? ORDER BY dept_code",
    "budget": "SELECT * FROM staged_budget WHERE year = ? ORDER BY dept_code, row_number",
    "roster": "SELECT * FROM staged_departments WHERE year = ? ORDER BY dept_code, row_number",
    "grades": "SELECT * FROM v_grade_distribution WHERE year = ? ORDER BY jurisdiction, grade",
    "runs": "SELECT run_id, finished_at FROM runs WHERE year = ? ORDER BY run_id",
}


@dataclass(frozen=True)
class YearData:
    year: int
    departments: pd.DataFrame  # v_rankings + rubric hash: one row per scored department
    sections: pd.DataFrame
    groups: pd.DataFrame
    lines: pd.DataFrame
    findings: pd.DataFrame
    rates: pd.DataFrame
    budget: pd.DataFrame
    roster: pd.DataFrame  # every staged department, scored or not
    grades: pd.DataFrame
    runs: pd.DataFrame


@dataclass(frozen=True)
class DepartmentData:
    """One department's rows of every frame (empty frames where it has none)."""

    info: pd.Series
    sections: pd.DataFrame
    groups: pd.DataFrame
    lines: pd.DataFrame
    findings: pd.DataFrame
    rates: pd.Series | None
    budget: pd.Series | None


def load_year(warehouse: Path | str, year: int) -> YearData:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        frames = {name: con.execute(sql, [int(year)]).df() for name, sql in QUERIES.items()}
    finally:
        con.close()
    return YearData(year=int(year), **frames)


def _split(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    return {str(code): rows for code, rows in frame.groupby("dept_code", sort=False)}


def by_department(data: YearData) -> dict[str, DepartmentData]:
    """Every scored department's data, in ranking order, from one pass over each frame."""
    parts = {name: _split(getattr(data, name)) for name in ("sections", "groups", "lines")}
    findings = _split(data.findings.dropna(subset=["dept_code"]))
    rates = _split(data.rates)
    budget = _split(data.budget)

    def rows(split: dict[str, pd.DataFrame], code: str, like: pd.DataFrame) -> pd.DataFrame:
        return split.get(code, like.iloc[0:0])

    def first(split: dict[str, pd.DataFrame], code: str) -> pd.Series | None:
        return split[code].iloc[0] if code in split else None

    out = {}
    for _, info in data.departments.iterrows():
        code = str(info["dept_code"])
        out[code] = DepartmentData(
            info=info,
            sections=rows(parts["sections"], code, data.sections),
            groups=rows(parts["groups"], code, data.groups),
            lines=rows(parts["lines"], code, data.lines),
            findings=rows(findings, code, data.findings),
            rates=first(rates, code),
            budget=first(budget, code),
        )
    return out


def value(row: pd.Series | None, column: str):
    """A cell as a plain Python value, None when absent (NaN, NA, no such column)."""
    if row is None or column not in row.index or pd.isna(row[column]):
        return None
    item = row[column]
    return item.item() if hasattr(item, "item") else item


def localized(row: pd.Series | None, column: str):
    """A sentence the warehouse renders per language, in the current one: ``column``
    for Chinese, ``column_en`` for English (``pipelines.messages.sql.suffix``). A
    warehouse written before that column existed has ``column`` alone: read that."""
    name = column + suffix(current())
    return value(row, name if row is not None and name in row.index else column)
