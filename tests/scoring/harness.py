"""Runs the YAML rule cases through the real scoring code, without files or the writer.

A case starts from the seed department's staged extracts (raw/2023, staged once)
and changes only what it names. Its staged rows go into an in-memory DuckDB, typed as
the warehouse types them (``ingest.casts``), ``score_year`` scores them, and the scored
lines (with their derivations rendered in English and Chinese from the catalog, by the
SQL the analyst views render with: ``scoring.sentences``), total, grade and findings
are read back. No warehouse code takes part. Expected values in the YAML come from hand
calculation.

Cases that use the same rubric are scored together, each as a department of its own
(``CASE-001``…, the seed department's rows under another code), in one ``score_year``:
scoring compares no department with another, so a case's results are the same as
scored alone, and a batch costs about what one case did.
"""

from __future__ import annotations

import copy
import dataclasses
import json
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd
import yaml

from pipelines.ingest.casts import text_rows, typed_columns
from pipelines.ingest.spec import extract_specs
from pipelines.ingest.stage import StagedYear, read_year, stage_year
from pipelines.messages import sql as messages
from pipelines.quality import reconcile
from pipelines.rubric import Rubric
from pipelines.rubric.library import RubricInUse, RubricLibrary
from pipelines.rubric.load import content_hash, merge, resolve
from pipelines.scoring import inputs
from pipelines.scoring.engine import score_year
from pipelines.scoring.sentences import SCORED_CONSTANTS, findings_select, lines_select
from tests.conftest import RUBRICS, SEED_RAW

DEPT = "BJ-FAO"
INDICATOR_DEFAULTS = {"direction": "positive", "kind": "quantitative", "group": "output"}


@cache
def seed_staged() -> StagedYear:
    library = RubricLibrary(RUBRICS)
    return stage_year(read_year(SEED_RAW, 2023), lambda j: library.get(j, 2023).rubric)


def _text(value) -> str | None:
    return None if value is None else str(value)


def build_staged(case: dict) -> StagedYear:
    staged = copy.deepcopy(seed_staged())
    t = staged.tables
    for col, value in case.get("budget", {}).items():
        t["budget"].loc[:, col] = _text(value)
    if "indicators" in case:
        rows = [
            {**INDICATOR_DEFAULTS, "dept_code": DEPT, "name": r["line_code"], **r}
            for r in case["indicators"]
        ]
        frame = pd.DataFrame(
            [{c: _text(r.get(c)) for c in t["indicators"].columns} for r in rows],
            index=pd.RangeIndex(2, 2 + len(rows), name="row_number"),
        )
        t["indicators"] = frame
        # the seed's published scores are of its own lines, not of the case's
        t["self_reported"] = t["self_reported"].iloc[0:0]
    for line, failed in case.get("failed_criteria", {}).items():
        hit = (t["checklist"]["line_code"] == line) & t["checklist"]["criterion_no"].isin(
            [str(n) for n in failed]
        )
        t["checklist"].loc[hit, "passed"] = "false"
    if "overrides" in case:
        rows = [
            {"dept_code": DEPT, **{k: _text(v) for k, v in r.items()}} for r in case["overrides"]
        ]
        t["overrides"] = pd.DataFrame(
            rows,
            columns=t["overrides"].columns,
            index=pd.RangeIndex(2, 2 + len(rows), name="row_number"),
        )
    return staged


def case_rubric(case: dict) -> RubricInUse:
    """The case's rubric (default beijing/2023), with its ``rubric_patch`` applied the
    way a rubric that ``extends`` another is."""
    rubric_id = case.get("rubric", "beijing/2023")
    data = copy.deepcopy(_resolved(rubric_id))  # merge may change what it is given
    problems = []
    data = merge(data, case.get("rubric_patch", {}), "", problems, rubric_id)
    assert not problems, problems
    rubric = Rubric.model_validate(data)
    return RubricInUse(rubric, content_hash(rubric))


CASE_FILES = sorted(Path(__file__).parent.glob("*.yaml"))


def all_cases() -> list[dict]:
    return [
        case for path in CASE_FILES for case in yaml.safe_load(path.read_text("utf-8"))["cases"]
    ]


def run_case(case: dict) -> dict:
    """The case's results, from the batch of every case with its rubric."""
    return _batch(_rubric_key(case))[_identity(case)]


def _identity(case: dict) -> str:
    return json.dumps(case, sort_keys=True, ensure_ascii=False, default=str)


def _rubric_key(case: dict) -> str:
    return _identity({"rubric": case.get("rubric"), "patch": case.get("rubric_patch")})


def run_alone(case: dict) -> dict:
    """The case's results scored with no other case (what a batch must not change)."""
    return _score({_identity(case): case})[_identity(case)]


@cache
def _batch(key: str) -> dict[str, dict]:
    return _score({_identity(c): c for c in all_cases() if _rubric_key(c) == key})


def _score(cases: dict[str, dict]) -> dict[str, dict]:
    """Score ``cases`` (identity → case, all with one rubric) as one year."""
    codes = {ident: f"CASE-{i:03d}" for i, ident in enumerate(cases, start=1)}
    used = [case_rubric(next(iter(cases.values())))]
    staged = _together([_as(build_staged(case), codes[i]) for i, case in cases.items()], used[0])
    priors = [
        _as(_prior_year(case["prior_budget"]), codes[i])
        for i, case in cases.items()
        if "prior_budget" in case
    ]
    con = _connection()
    # last year's staged budget is all a prior-year comparison reads
    _stage(con, [_together(priors, used[0]), staged] if priors else [staged])
    inputs.bind(con, staged.year, staged.unscorable, table_of=lambda extract: f"case_{extract}")
    score_year(con, staged.year, used, checks=[reconcile.findings_sql])
    con.execute(
        "CREATE OR REPLACE TEMP VIEW case_lines AS "
        "SELECT 2023 AS year, *, 'case' AS run_id FROM scored_lines"
    )
    con.execute(
        "CREATE OR REPLACE TEMP VIEW case_findings AS SELECT 2023 AS year, *, 'case' AS run_id, "
        "NULL AS jurisdiction FROM scored_findings"  # shaped as the findings table
    )
    lines = con.execute(
        "SELECT dept_code, line_code, final_score, computed_score, rate_pct, explanation_en, "
        f"explanation FROM ({lines_select('case_lines', SCORED_CONSTANTS)})"
    ).fetchall()
    depts = con.execute("SELECT dept_code, total_score, grade FROM scored_departments").fetchall()
    # a finding of no department (of the rubric or the year) belongs to every case
    findings = con.execute(
        "SELECT dept_code, line_code, severity, code, message_en "
        f"FROM ({findings_select('case_findings', 'case_lines', SCORED_CONSTANTS)})"
    ).fetchall()
    groups = con.execute('SELECT dept_code, "group", score FROM scored_groups').fetchall()
    sections = con.execute("SELECT dept_code, section, score FROM scored_sections").fetchall()
    out = {}
    for ident, code in codes.items():
        dept = [r[1:] for r in depts if r[0] == code]
        out[ident] = {
            "lines": {
                r[1]: {
                    "score": r[2],
                    "computed": r[3],
                    "rate": r[4],
                    "explanation": r[5],
                    "explanation_zh": r[6],
                }
                for r in lines
                if r[0] == code
            },
            "groups": {r[1]: r[2] for r in groups if r[0] == code},
            "sections": {r[1]: r[2] for r in sections if r[0] == code},
            "total": dept[0][0] if dept else None,
            "grade": dept[0][1] if dept else None,
            "findings": [tuple(r[1:]) for r in findings if r[0] in (code, None)],
        }
    return out


def _as(staged: StagedYear, code: str) -> StagedYear:
    """The staged year with the seed department's rows under ``code``."""
    for frame in [*staged.tables.values(), staged.rejected, staged.findings]:
        if "dept_code" in frame.columns:
            frame.loc[frame["dept_code"] == DEPT, "dept_code"] = code
    staged.rubric_of = {code if c == DEPT else c: r for c, r in staged.rubric_of.items()}
    return staged


def _together(years: list[StagedYear], used: RubricInUse) -> StagedYear:
    """One staged year of the cases' departments (row numbers renumbered, as one file's)."""
    first = years[0]
    tables = {}
    for name in first.tables:
        frame = pd.concat([y.tables[name] for y in years], ignore_index=True)
        frame.index = pd.RangeIndex(2, 2 + len(frame), name="row_number")
        tables[name] = frame
    tables["departments"].loc[:, "jurisdiction"] = used.rubric.jurisdiction
    return dataclasses.replace(
        first,
        tables=tables,
        rejected=pd.concat([y.rejected for y in years], ignore_index=True),
        findings=pd.concat([y.findings for y in years], ignore_index=True),
        rubric_of={code: used.rubric for y in years for code in y.rubric_of},
    )


@cache
def _resolved(rubric_id: str) -> dict:
    """The rubric file with what it ``extends`` resolved (read once per rubric)."""
    return resolve(RUBRICS / f"{rubric_id}.yaml", RUBRICS, chain=())


@cache
def _connection() -> duckdb.DuckDBPyConnection:
    """One in-memory database for every case, with the catalog the derivations render
    from."""
    con = duckdb.connect(":memory:")
    messages.install(con)
    return con


def _stage(con, years: list[StagedYear]) -> None:
    """``years``' staged rows as tables ``case_<extract>``, shaped and typed as the
    warehouse's ``staged_<extract>`` (each batch replaces the last one's)."""
    for name in extract_specs():
        frames = {f"_rows_{i}": text_rows(y.tables[name], name) for i, y in enumerate(years)}
        selects = [
            f"SELECT {int(y.year)} AS year, CAST(row_number AS INTEGER) AS row_number, "
            f"{typed_columns(name)} FROM {frame}"
            for y, frame in zip(years, frames, strict=True)
        ]
        for frame, rows in frames.items():
            con.register(frame, rows)
        try:
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE case_{name} AS {' UNION ALL '.join(selects)}"
            )
        finally:
            for frame in frames:
                con.unregister(frame)


def _prior_year(budget: dict) -> StagedYear:
    prior = copy.deepcopy(seed_staged())
    prior.year = 2022
    for col, value in budget.items():
        prior.tables["budget"].loc[:, col] = _text(value)
    return prior
