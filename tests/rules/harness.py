"""Runs one YAML rule case through the real scoring and warehouse code, without files.

A case starts from the seed department's staged extracts (raw/2023, staged once)
and changes only what it names; it is then written with ``replace_year`` into an
in-memory DuckDB, and the resulting line scores, total, grade and findings are read
back. Expected values in the YAML come from hand calculation.
"""

from __future__ import annotations

import copy
from functools import cache

import duckdb
import pandas as pd

from pipelines.annual import stage
from pipelines.ingest.stage import StagedYear, read_year
from pipelines.rubric import Rubric
from pipelines.rubric.library import RubricInUse, RubricLibrary
from pipelines.rubric.load import content_hash, merge, resolve
from pipelines.warehouse.write import replace_year
from tests.conftest import RUBRICS, SEED_RAW

DEPT = "BJ-FAO"
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
    path = RUBRICS / f"{rubric_id}.yaml"
    data = resolve(path, RUBRICS, chain=())
    problems = []
    data = merge(data, case.get("rubric_patch", {}), "", problems, rubric_id)
    assert not problems, problems
    rubric = Rubric.model_validate(data)
    return RubricInUse(rubric, content_hash(rubric))


def run_case(case: dict) -> dict:
    staged = build_staged(case)
    used = [case_rubric(case)]
    staged.tables["departments"].loc[:, "jurisdiction"] = used[0].rubric.jurisdiction
    con = duckdb.connect(":memory:")
    if "prior_budget" in case:
        # last year's staged budget is all a prior-year comparison reads
        replace_year(con, _prior_year(case["prior_budget"]), used, "prior")
    replace_year(con, staged, used, "case")
    lines = {
        r[0]: {"score": r[1], "computed": r[2], "rate": r[3], "explanation": r[4]}
        for r in con.execute(
            "SELECT line_code, final_score, computed_score, rate_pct, explanation "
            "FROM line_scores WHERE year = 2023"
        ).fetchall()
    }
    dept = con.execute(
        "SELECT total_score, grade FROM department_scores WHERE year = 2023"
    ).fetchone()
    findings = con.execute(
        "SELECT line_code, severity, code, message FROM findings WHERE year = 2023"
    ).fetchall()
    groups = dict(con.execute('SELECT "group", score FROM group_scores').fetchall())
    sections = dict(con.execute("SELECT section, score FROM section_scores").fetchall())
    return {
        "lines": lines,
        "groups": groups,
        "sections": sections,
        "total": dept[0] if dept else None,
        "grade": dept[1] if dept else None,
        "findings": findings,
    }


def _prior_year(budget: dict) -> StagedYear:
    prior = copy.deepcopy(seed_staged())
    prior.year = 2022
    for col, value in budget.items():
        prior.tables["budget"].loc[:, col] = _text(value)
    return prior
