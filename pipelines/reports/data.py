"""The warehouse as the reports read it, set-based, never a query per department.

* ``load_year``: what the year's summaries need. Per department (rankings, sections,
  roster: one row each, or one per section) as data frames; per line and per finding
  only as aggregates computed in DuckDB (``top_lost``, ``findings``…), so the
  summary never loads the year's lines (3 million nationally).
* ``load_chunk``: every view a department report reads, for a chunk of departments
  at a time (``WHERE year = ? AND dept_code`` in the chunk), with the sentence
  columns of the current language only (``explanation`` or ``explanation_en``…: the
  views render each sentence per language, and rendering is what costs).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from pipelines.messages import current, languages
from pipelines.messages.sql import suffix
from pipelines.reports import drafts as drafting

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
    "roster": "SELECT * FROM staged_departments WHERE year = ? ORDER BY dept_code, row_number",
    "grades": "SELECT * FROM v_grade_distribution WHERE year = ? ORDER BY jurisdiction, grade",
    "runs": "SELECT run_id, finished_at FROM runs WHERE year = ? ORDER BY run_id",
}

# The summary's lines where most points were lost, per jurisdiction: the sum of weight −
# final score by line code and name over the jurisdiction's scored departments (exact,
# in DECIMAL), the departments that lost points on it, and how many were scored on it.
TOP_LOST = """
    SELECT d.jurisdiction, l.line_code, l.name,
           first(l.section ORDER BY l.dept_code, l.section_order, l.group_order, l.line_order,
                 l.line_code) FILTER (WHERE l.section IS NOT NULL) AS section,
           sum(l.weight - l.final_score) AS lost,
           count_if(l.weight - l.final_score > 0)::BIGINT AS departments,
           count(*)::BIGINT AS scored
    FROM v_line_scores l JOIN v_department_scores d USING (year, dept_code)
    WHERE year = ?
    GROUP BY d.jurisdiction, l.line_code, l.name
    HAVING sum(l.weight - l.final_score) > 0
    QUALIFY row_number() OVER (PARTITION BY d.jurisdiction
        ORDER BY lost DESC, l.line_code NULLS LAST, l.name NULLS LAST) <= ?
    ORDER BY d.jurisdiction, lost DESC, l.line_code NULLS LAST, l.name NULLS LAST"""

# The year's findings, each once per jurisdiction it belongs to: a department's under
# the jurisdiction that staged it, a file-level note (no department) under every one.
FINDINGS = {
    # codes and parameters only: a sentence is rendered for the rows shown (``_worded``)
    "year": """
        CREATE OR REPLACE TEMP TABLE report_year_findings AS
        SELECT dept_code, line_code, severity, code, CAST(params AS VARCHAR) AS said
        FROM findings WHERE year = ?""",
    "jurisdictions": """
        CREATE OR REPLACE TEMP TABLE report_findings AS
        WITH r AS (SELECT DISTINCT jurisdiction, dept_code FROM staged_departments
                   WHERE year = ?)
        SELECT r.jurisdiction, f.* FROM report_year_findings f JOIN r USING (dept_code)
        UNION ALL
        SELECT j.jurisdiction, f.* FROM report_year_findings f
            CROSS JOIN (SELECT DISTINCT jurisdiction FROM r) j
        WHERE f.dept_code IS NULL""",
}
FINDING_AGGREGATES = {
    # per severity: how many, and where its first finding is in the findings' order
    # (department codes, no department first), which orders severities of equal rank
    "severities": """
        SELECT jurisdiction, severity, count(*)::BIGINT AS count,
               bool_or(dept_code IS NULL) AS whole_year, min(dept_code) AS first_dept
        FROM report_findings GROUP BY ALL""",
    "codes": """
        SELECT jurisdiction, severity, code, count(*)::BIGINT AS count
        FROM report_findings GROUP BY ALL ORDER BY jurisdiction, severity, code""",
    "samples": """
        SELECT * FROM report_findings
        QUALIFY row_number() OVER (PARTITION BY jurisdiction, severity
            ORDER BY dept_code NULLS FIRST, code NULLS FIRST, line_code NULLS FIRST,
                     said NULLS FIRST) <= ?
        ORDER BY jurisdiction, severity, dept_code NULLS FIRST, code NULLS FIRST,
                 line_code NULLS FIRST, said NULLS FIRST""",
    # the errors that say why a staged department was not scored, in the findings' order
    "refusals": """
        SELECT dept_code, line_code, code, said FROM report_year_findings
        WHERE severity = 'error' AND dept_code IS NOT NULL AND dept_code NOT IN (
            SELECT dept_code FROM v_department_scores WHERE year = ? AND dept_code IS NOT NULL)
        ORDER BY dept_code, code, line_code NULLS FIRST, said""",
}

# A chunk of departments: a list parameter (pushed into the scan, so the views render
# the chunk's rows only, where a join or IN (subquery) renders the whole year first),
# and its first and last codes (min/max pruning when the table is stored in code order).
CHUNK = "list_contains(?, dept_code) AND dept_code BETWEEN ? AND ?"
LINE_COLUMNS = ("dept_code", "line_code", "section", "group", "subgroup", "name", "weight",
                "final_score", "target", "actual")  # fmt: skip
# A line's explanation shows where it lost points, alone (lost_rows): rendered for those
# lines only, it costs a third less of the chunk's time in DuckDB.
EXPLANATIONS = """
    SELECT dept_code, line_code, {explanation} FROM v_line_scores
    WHERE year = ? AND {chunk}
      AND weight <> 0 AND final_score IS NOT NULL AND weight - final_score > 0"""
# view, order, the columns a department report reads (None: all of them)
CHUNK_QUERIES = {
    "sections": (
        "v_section_scores",
        "ORDER BY dept_code, section_order",
        ("dept_code", "section", "name", "weight", "score", "section_order"),
    ),
    "groups": (
        "v_group_scores",
        "ORDER BY dept_code, section, group_order",
        ("dept_code", "section", "group", "name", "weight"),
    ),
    "lines": (
        "v_line_scores",
        "ORDER BY dept_code, section_order, group_order, line_order, line_code",
        LINE_COLUMNS,
    ),
    "findings": (
        "v_findings",
        "ORDER BY dept_code NULLS FIRST, severity, code, line_code NULLS FIRST, message",
        ("dept_code", "line_code", "severity", "code", "message"),
    ),
    "rates": ("v_budget_rates", "ORDER BY dept_code", None),
    "budget": ("staged_budget", "ORDER BY dept_code, row_number", None),
}
# The sentences the views render once per language (``pipelines.messages.sql``).
SENTENCES = ("explanation", "target", "actual", "message", "reason")


@dataclass(frozen=True)
class YearData:
    """What the summaries of a year read."""

    year: int
    departments: pd.DataFrame  # v_rankings + rubric hash: one row per scored department
    sections: pd.DataFrame
    roster: pd.DataFrame  # every staged department, scored or not
    grades: pd.DataFrame
    runs: pd.DataFrame
    top_lost: pd.DataFrame = field(default_factory=pd.DataFrame)  # TOP_LOST
    severities: pd.DataFrame = field(default_factory=pd.DataFrame)  # FINDING_AGGREGATES
    codes: pd.DataFrame = field(default_factory=pd.DataFrame)
    samples: pd.DataFrame = field(default_factory=pd.DataFrame)
    refusals: pd.DataFrame = field(default_factory=pd.DataFrame)


@dataclass(frozen=True)
class DepartmentData:
    """One department's rows of every view (as ``records``; empty lists where it has
    none)."""

    info: Mapping
    sections: list[dict]
    groups: list[dict]
    lines: list[dict]
    findings: list[dict]
    rates: Mapping | None
    budget: Mapping | None
    # the chunk's draft rules and evidence rows (drafts.query_chunk); None: not read
    drafts: drafting.ChunkDrafts | None = None


def connect(warehouse: Path | str) -> duckdb.DuckDBPyConnection:
    """The warehouse, read-only; without DuckDB's progress bar (a chunk's query takes
    a second or two, and workers would draw theirs over one another on stderr)."""
    con = duckdb.connect(str(warehouse), read_only=True)
    con.execute("SET enable_progress_bar = false")
    return con


def load_departments(con: duckdb.DuckDBPyConnection, year: int) -> pd.DataFrame:
    """The year's scored departments (``v_rankings``), in ranking order."""
    return con.execute(QUERIES["departments"], [int(year)]).df()


def load_year(
    warehouse: Path | str,
    year: int,
    con: duckdb.DuckDBPyConnection | None = None,
    top: int = 10,
    samples: int = 5,
) -> YearData:
    """The year's summary data: per-department frames, per-line and per-finding
    aggregates (the ``top`` lines where most points were lost and ``samples`` findings
    per severity, per jurisdiction)."""
    own = con is None
    con = connect(warehouse) if own else con
    year = int(year)
    try:
        frames = {name: con.execute(sql, [year]).df() for name, sql in QUERIES.items()}
        frames["top_lost"] = con.execute(TOP_LOST, [year, top]).df()
        con.execute(FINDINGS["year"], [year])
        con.execute(FINDINGS["jurisdictions"], [year])
        for name, sql in FINDING_AGGREGATES.items():
            params = [samples] if name == "samples" else [year] if name == "refusals" else []
            frames[name] = con.execute(sql, params).df()
        con.execute("DROP TABLE report_findings; DROP TABLE report_year_findings")
        samples, refusals = _worded(con, year, frames["samples"], frames["refusals"])
        # in the order they were shown in when sentences were sorted too
        frames["samples"] = _sorted(
            samples, ["jurisdiction", "severity", "dept_code", "code", "line_code", "message"]
        )
        frames["refusals"] = _sorted(refusals, ["dept_code", "code", "line_code", "message"])[
            ["dept_code", "message"]
        ]
    finally:
        if own:
            con.close()
    return YearData(year=year, **frames)


def _worded(con: duckdb.DuckDBPyConnection, year: int, *frames: pd.DataFrame) -> list:
    """Each frame of findings (dept_code, line_code, code, said: the parameters as text)
    with its sentence in the current language as ``message``, rendered in one query for
    these rows' departments alone: they go in as a list parameter, which the view pushes
    into its scan (a national year's findings, all rendered, cost the summary seconds)."""
    message = _quoted(_localized_column(con, "v_findings", "message"))
    depts = sorted({d for f in frames for d in plain(f["dept_code"]) if d is not None})
    words = con.execute(
        f"""SELECT dept_code, line_code, code, CAST(params AS VARCHAR) AS said,
                   {message} AS message
            FROM v_findings
            WHERE year = ? AND (dept_code IS NULL OR list_contains(?, dept_code))""",
        [year, depts],
    ).df()
    keys = ["dept_code", "line_code", "code", "said"]
    words = words.drop_duplicates(keys)
    return [f.merge(words, on=keys, how="left", sort=False).drop(columns="said") for f in frames]


def _sorted(frame: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """``frame`` in ``by`` order, missing values first, as the SQL of the summary sorts."""
    return frame.sort_values(by, na_position="first", kind="stable", ignore_index=True)


def city_medians(con: duckdb.DuckDBPyConnection, year: int) -> dict[tuple, float | None]:
    """(jurisdiction, section) → the city median of the section, as the summary's
    sections query computes it (a few rows: the chunks of department reports get it
    with their departments)."""
    sql = QUERIES["sections"].rsplit("ORDER BY", 1)[0]
    rows = con.execute(
        f"SELECT DISTINCT jurisdiction, section, city_median FROM ({sql})", [int(year)]
    ).df()
    keys = zip(plain(rows["jurisdiction"]), plain(rows["section"]), strict=True)
    return dict(zip(keys, plain(rows["city_median"]), strict=True))


def load_runs(con: duckdb.DuckDBPyConnection, year: int) -> pd.DataFrame:
    return con.execute(QUERIES["runs"], [int(year)]).df()


def _quoted(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def _columns(con: duckdb.DuckDBPyConnection, view: str) -> list[str]:
    """The view's columns, from the catalog (``DESCRIBE`` plans the view: most of a
    second for the views that render sentences)."""
    sql = """SELECT column_name FROM duckdb_columns()
             WHERE schema_name = 'main' AND table_name = ? ORDER BY column_index"""
    names = [row[0] for row in con.execute(sql, [view]).fetchall()]
    return names or [row[0] for row in con.execute(f"DESCRIBE {view}").fetchall()]


def _localized_column(con: duckdb.DuckDBPyConnection, view: str, column: str) -> str:
    name = column + suffix(current())
    return name if name in _columns(con, view) else column


def chunk_columns(
    names: Iterable[str], lang: str, wanted: Iterable[str] | None = None
) -> list[str]:
    """A view's columns (those ``wanted`` of them) without the sentences of other
    languages: ``explanation`` for Chinese, ``explanation_en`` for English
    (``localized``), the column without a suffix when the warehouse has no column for
    the language (written before it)."""
    names = list(names)
    base_of = {name: name for name in names}
    dropped = set()
    for base in SENTENCES:
        versions = {base + suffix(other) for other in languages()} & set(names)
        keep = base + suffix(lang) if base + suffix(lang) in versions else base
        dropped |= versions - {keep}
        base_of |= dict.fromkeys(versions, base)
    wanted = None if wanted is None else set(wanted)
    return [
        name
        for name in names
        if name not in dropped and (wanted is None or base_of[name] in wanted)
    ]


class ChunkReader:
    """Reads every view a department report needs for a chunk of departments at a
    time, on one connection. Each view's columns are looked up once: planning a
    query on a view that renders sentences takes up to a second (``v_findings``)."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        lang: str | None = None,
        rubrics_dir: Path | str | None = None,
    ) -> None:
        self.con = con
        self.lang = lang or current()
        self.rubrics_dir = rubrics_dir  # where the draft rules are (default: settings)
        self._sql: dict[str, str] = {}

    def sql(self, name: str) -> str:
        if name not in self._sql:
            view, order, wanted = CHUNK_QUERIES[name]
            names = chunk_columns(_columns(self.con, view), self.lang, wanted)
            columns = ", ".join(_quoted(c) for c in names)
            self._sql[name] = f"SELECT {columns} FROM {view} WHERE year = ? AND {CHUNK} {order}"
        return self._sql[name]

    def _explained(self, lines: list[dict], params: list) -> list[dict]:
        """The lines with their explanation, in the current language, where they lost
        points (``EXPLANATIONS``; all of them read again if a department has a line
        code twice, which the explanations could not be matched by)."""
        names = _columns(self.con, "v_line_scores")
        (column,) = chunk_columns(names, self.lang, ["explanation"])
        keys = [(line["dept_code"], line["line_code"]) for line in lines]
        if len(set(keys)) < len(keys):
            view, order, wanted = CHUNK_QUERIES["lines"]
            columns = ", ".join(
                map(_quoted, chunk_columns(names, self.lang, (*wanted, "explanation")))
            )
            sql = f"SELECT {columns} FROM {view} WHERE year = ? AND {CHUNK} {order}"
            return records(self.con.execute(sql, params).df())
        sql = EXPLANATIONS.format(explanation=_quoted(column), chunk=CHUNK)
        found = {(d, c): text for d, c, text in self.con.execute(sql, params).fetchall()}
        for line, key in zip(lines, keys, strict=True):
            line[column] = found.get(key)
        return lines

    def load(
        self, year: int, infos: list[Mapping], medians: Mapping[tuple, float | None]
    ) -> list[DepartmentData]:
        """The data of the departments ``infos`` (rows of ``load_departments``, as
        ``records``), each view queried once for all of them; ``medians``: as
        ``city_medians``."""
        codes = [str(info["dept_code"]) for info in infos]
        if not codes:
            return []
        params = [int(year), codes, min(codes), max(codes)]
        parts: dict[str, dict[str, list[dict]]] = {}
        for name in CHUNK_QUERIES:
            if name == "findings" and not _has_findings(self.con, params):
                parts[name] = {}
                continue
            rows = records(self.con.execute(self.sql(name), params).df())
            if name == "lines":
                rows = self._explained(rows, params)
            parts[name] = _by_department(rows)
        # the drafts' conditions: one query per rule for the whole chunk
        drafts = drafting.query_chunk(self.con, year, infos, self.rubrics_dir)
        out = []
        for info, code in zip(infos, codes, strict=True):
            sections = parts["sections"].get(code, [])
            jurisdiction = info.get("jurisdiction")
            for row in sections:
                row["jurisdiction"] = jurisdiction
                row["city_median"] = medians.get((jurisdiction, row.get("section")))
            rates, budget = parts["rates"].get(code), parts["budget"].get(code)
            out.append(
                DepartmentData(
                    info=info,
                    sections=sections,
                    groups=parts["groups"].get(code, []),
                    lines=parts["lines"].get(code, []),
                    findings=parts["findings"].get(code, []),
                    rates=rates[0] if rates else None,
                    budget=budget[0] if budget else None,
                    drafts=drafts,
                )
            )
        return out


def _has_findings(con: duckdb.DuckDBPyConnection, params: list) -> bool:
    """Whether any department of the chunk has a finding. ``v_findings`` renders its
    messages from every line with a finding (a second per query, nationally, whatever
    the filter): asked of its table first, it is read only for chunks that have one."""
    try:
        sql = f"SELECT count(*) FROM findings WHERE year = ? AND {CHUNK}"
        return con.execute(sql, params).fetchone()[0] > 0
    except duckdb.Error:  # a warehouse without the table: read the view
        return True


def _by_department(rows: list[dict]) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for row in rows:
        out.setdefault(str(row["dept_code"]), []).append(row)
    return out


def plain(column: pd.Series) -> list:
    """The column's cells as plain Python values, None where missing."""
    cells = column.tolist()
    if column.hasnans:
        missing = column.isna().tolist()
        cells = [None if gone else cell for cell, gone in zip(cells, missing, strict=True)]
    return cells


def records(frame: pd.DataFrame) -> list[dict]:
    """The frame's rows as dicts of plain Python values (None where missing): what
    ``value`` returns for each cell, built column by column (``iterrows`` costs ~0.1 ms
    a row, which 3 million lines cannot afford)."""
    names = [str(c) for c in frame.columns]
    cells = [plain(frame[c]) for c in frame.columns]
    return [dict(zip(names, row, strict=True)) for row in zip(*cells, strict=True)]


def value(row: Mapping | pd.Series | None, column: str):
    """A cell as a plain Python value, None when absent (NaN, NA, no such column)."""
    if row is None:
        return None
    if isinstance(row, dict):
        item = row.get(column)
        if item is None or (isinstance(item, float) and item != item):
            return None
        return item
    if column not in row.index or pd.isna(row[column]):
        return None
    item = row[column]
    return item.item() if hasattr(item, "item") else item


def has(row: Mapping | pd.Series | None, column: str) -> bool:
    """Whether the row has the column (a dict's key, a Series' index)."""
    if row is None:
        return False
    return column in row if isinstance(row, dict) else column in row.index


def localized(row: Mapping | pd.Series | None, column: str):
    """A sentence the warehouse renders per language, in the current one: ``column``
    for Chinese, ``column_en`` for English (``pipelines.messages.sql.suffix``). A
    warehouse written before that column existed has ``column`` alone: read that."""
    name = column + suffix(current())
    return value(row, name if has(row, name) else column)
