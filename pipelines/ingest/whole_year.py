"""Checks across files and departments once every file of a year is staged: which
rubric each department uses, completeness per department, refused departments, and
whether the year may be written at all."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from pipelines.ingest.files import RawFile, RawYear
from pipelines.ingest.refusals import Collector
from pipelines.ingest.spec import extract_specs
from pipelines.rubric import Rubric, RubricMissing


def default_policies() -> dict[str, str]:
    return {name: spec.on_refusal for name, spec in extract_specs().items()}


def blocking(rejected: pd.DataFrame, raw: RawYear, policies: dict[str, str]) -> list[str]:
    whole = rejected[rejected["row_number"].isna() | (rejected["row_number"] == 1)]
    reasons = [f"{r.file}: {r.reason}" for r in whole.itertuples(index=False)]
    for name, policy in sorted(policies.items()):
        if policy not in ("quarantine", "fail_year"):
            raise ValueError(f"refusal policy for {name}: {policy!r} is not quarantine/fail_year")
        file = raw.files.get(name)
        rows = (
            rejected[(rejected["file"] == file.name) & ~rejected.index.isin(whole.index)]
            if (file)
            else rejected.iloc[0:0]
        )
        if policy == "fail_year" and len(rows):
            reasons.append(f"{file.name}: {len(rows)} row(s) refused and its policy is fail_year")
    return reasons


def rubrics_of(departments, rubric_for, file: RawFile | None, out: Collector) -> dict:
    """dept_code → rubric. A jurisdiction without a rubric file refuses its departments'
    rows (naming the file to write); when no department has one, the year cannot be
    scored and the error is raised. A rubric that exists but is invalid always raises."""
    rubric_of, missing = {}, []
    for jurisdiction, rows in departments.groupby("jurisdiction", sort=True):
        try:
            rubric = rubric_for(jurisdiction)
        except RubricMissing as exc:
            missing.append(exc)
            for row, dept in rows["dept_code"].items():
                out.refuse(file.name, row, "jurisdiction", jurisdiction, exc.problems[0][1], dept)
            continue
        rubric_of.update(dict.fromkeys(rows["dept_code"], rubric))
    if missing and not rubric_of:
        raise missing[0]
    return rubric_of


def completeness(tables, rubric_of: dict[str, Rubric], out: Collector) -> None:
    """Per department: a budget row, every checklist criterion, declared weights that add up."""
    depts = pd.DataFrame(
        {"dept_code": list(rubric_of), "rubric": [r.id for r in rubric_of.values()]}, dtype=object
    )
    rubrics = {r.id: r for r in rubric_of.values()}
    for dept in sorted(set(depts["dept_code"]) - set(tables["budget"]["dept_code"])):
        out.finding(dept, "error", "missing_budget", "no accepted budget row; not scored")

    criteria = pd.DataFrame(
        [
            (rid, line, str(i))
            for rid, r in rubrics.items()
            for line, n in r.checklist_criteria().items()
            for i in range(1, n + 1)
        ],
        columns=["rubric", "line_code", "criterion_no"],
        dtype=object,
    )
    expected = depts.merge(criteria, on="rubric")
    have = tables["checklist"][["dept_code", "line_code", "criterion_no"]]
    gaps = expected.merge(have, how="left", indicator=True).query("_merge == 'left_only'")
    for (dept, line), rows in gaps.groupby(["dept_code", "line_code"], sort=True):
        missing = ", ".join(rows["criterion_no"])
        out.finding(
            dept,
            "error",
            "missing_checklist_rows",
            f"checklist {line}: no row for criteria {missing}; not scored",
            line,
        )

    groups = pd.DataFrame(
        [
            (rid, g, grp.weight)
            for rid, r in rubrics.items()
            for g, (_, grp) in r.declared_groups().items()
        ],
        columns=["rubric", "group", "group_weight"],
        dtype=object,
    )
    ind = tables["indicators"].assign(weight=lambda f: f["weight"].map(Decimal))
    declared = ind.groupby(["dept_code", "group"], as_index=False)["weight"].sum()
    sums = depts.merge(groups, on="rubric").merge(declared, how="left", on=["dept_code", "group"])
    sums["weight"] = sums["weight"].map(lambda w: Decimal(0) if pd.isna(w) else w)
    for row in sums[sums["weight"] != sums["group_weight"]].itertuples(index=False):
        out.finding(
            row.dept_code,
            "error",
            "declared_weights_mismatch",
            f"group {row.group}: declared line weights add up to {row.weight}, "
            f"the rubric's group weight is {row.group_weight}; not scored",
        )


def refused_departments(out: Collector, departments: set[str]) -> None:
    refused: dict[str, list[str]] = {}
    for r in out.rejected:
        if r["dept_code"] in departments:
            refused.setdefault(r["dept_code"], []).append(f"{r['file']} row {r['row_number']}")
    for dept, where in sorted(refused.items()):
        out.finding(
            dept,
            "error",
            "input_refused",
            f"{len(where)} input value(s) refused ({', '.join(where[:5])}"
            f"{', …' if len(where) > 5 else ''}); not scored",
        )
