"""Runs one YAML rule case through the real scoring code, without files or the writer.

A case starts from the seed department's staged extracts (raw/2023, staged once)
and changes only what it names. Its staged tables go into an in-memory DuckDB,
``score_year`` scores them, and the scored lines (with their derivations rendered in
English and Chinese from the catalog), total, grade and findings are read back.
Expected values in the YAML come from hand calculation.
"""

from __future__ import annotations

import copy
from functools import cache

import duckdb
import pandas as pd

from pipelines.annual import stage
from pipelines.ingest.spec import extract_specs
from pipelines.ingest.stage import StagedYear, read_year
from pipelines.quality import reconcile
from pipelines.rubric import Rubric
from pipelines.rubric.library import RubricInUse, RubricLibrary
from pipelines.rubric.load import content_hash, merge, resolve
from pipelines.scoring import inputs
from pipelines.scoring.engine import score_year
from pipelines.warehouse.schema import create_schema, staged_table
from pipelines.warehouse.views import findings_select, lines_select
from pipelines.warehouse.write import store_staged
from tests.conftest import RUBRICS, SEED_RAW

DEPT = "BJ-FAO"
SCORED_CONSTANTS = ("scored_rule_constants", "scored_grade_shares")  # the engine's own
INDICATOR_DEFAULTS = {"direction": "positive", "kind": "quantitative", "group": "output"}


@cache
def seed_staged() -> StagedYear:
    return stage(read_year(SEED_RAW, 2023), RubricLibrary(RUBRICS))


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


def run_case(case: dict) -> dict:
    staged = build_staged(case)
    used = [case_rubric(case)]
    staged.tables["departments"].loc[:, "jurisdiction"] = used[0].rubric.jurisdiction
    con = _connection()
    for name in extract_specs():  # each case starts from no staged rows
        con.execute(f"DELETE FROM {staged_table(name)}")
    if "prior_budget" in case:
        # last year's staged budget is all a prior-year comparison reads
        store_staged(con, _prior_year(case["prior_budget"]))
    store_staged(con, staged)
    inputs.bind(con, staged.year, staged.unscorable)
    score_year(con, staged.year, used, checks=[reconcile.findings_sql])
    con.execute(
        "CREATE OR REPLACE TEMP VIEW case_lines AS "
        "SELECT 2023 AS year, *, 'case' AS run_id FROM scored_lines"
    )
    con.execute(
        "CREATE OR REPLACE TEMP VIEW case_findings AS SELECT 2023 AS year, *, 'case' AS run_id "
        "FROM scored_findings"
    )
    lines = {
        r[0]: {
            "score": r[1],
            "computed": r[2],
            "rate": r[3],
            "explanation": r[4],
            "explanation_zh": r[5],
        }
        for r in con.execute(
            "SELECT line_code, final_score, computed_score, rate_pct, explanation_en, "
            f"explanation FROM ({lines_select('case_lines', SCORED_CONSTANTS)})"
        ).fetchall()
    }
    dept = con.execute("SELECT total_score, grade FROM scored_departments").fetchone()
    findings = con.execute(
        "SELECT line_code, severity, code, message_en "
        f"FROM ({findings_select('case_findings', 'case_lines', SCORED_CONSTANTS)})"
    ).fetchall()
    groups = dict(con.execute('SELECT "group", score FROM scored_groups').fetchall())
    sections = dict(con.execute("SELECT section, score FROM scored_sections").fetchall())
    return {
        "lines": lines,
        "groups": groups,
        "sections": sections,
        "total": dept[0] if dept else None,
        "grade": dept[1] if dept else None,
        "findings": findings,
    }


@cache
def _resolved(rubric_id: str) -> dict:
    """The rubric file with what it ``extends`` resolved (read once per rubric)."""
    return resolve(RUBRICS / f"{rubric_id}.yaml", RUBRICS, chain=())


@cache
def _connection() -> duckdb.DuckDBPyConnection:
    """One in-memory database for every case: the staged tables, and the catalog the
    derivations render from (created once: the views take a second to bind)."""
    con = duckdb.connect(":memory:")
    create_schema(con)
    return con


def _prior_year(budget: dict) -> StagedYear:
    prior = copy.deepcopy(seed_staged())
    prior.year = 2022
    for col, value in budget.items():
        prior.tables["budget"].loc[:, col] = _text(value)
    return prior
