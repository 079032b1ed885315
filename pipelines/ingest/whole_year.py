"""Checks across files and departments once every file of a year is staged: which
rubric each department uses, completeness per department, refused departments, and
whether the year may be written at all."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from pipelines.ingest.bulk import BulkTable
from pipelines.ingest.files import RawFile, RawYear
from pipelines.ingest.refusals import Collector, reason_of, refusal
from pipelines.ingest.spec import extract_specs
from pipelines.messages import Message
from pipelines.rubric import Rubric, RubricMissing


def default_policies() -> dict[str, str]:
    return {name: spec.on_refusal for name, spec in extract_specs().items()}


def blocking(rejected: pd.DataFrame, raw: RawYear, policies: dict[str, str]) -> list[Message]:
    whole = rejected[rejected["row_number"].isna() | (rejected["row_number"] == 1)]
    reasons = [
        Message("stage.file_refused", file=r.file, reason=reason_of(r.reason_code, r.params))
        for r in whole.itertuples(index=False)
    ]
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
            reasons.append(Message("stage.fail_year", file=file.name, rows=len(rows)))
    return reasons


def rubrics_of(departments, rubric_for, file: RawFile | None, out: Collector, year: int) -> dict:
    """dept_code → rubric. A jurisdiction without a rubric file refuses its departments'
    rows (naming the file to write); when no department has one, the year cannot be
    scored and the error is raised. A rubric that exists but is invalid always raises."""
    rubric_of, missing = {}, []
    for jurisdiction, rows in departments.groupby("jurisdiction", sort=True):
        try:
            rubric = rubric_for(jurisdiction)
        except RubricMissing as exc:
            missing.append(exc)
            why = refusal("no_rubric", jurisdiction=jurisdiction, year=year, path=exc.file)
            for row, dept in rows["dept_code"].items():
                out.refuse(file.name, row, "jurisdiction", jurisdiction, why, dept)
            continue
        rubric_of.update(dict.fromkeys(rows["dept_code"], rubric))
    if missing and not rubric_of:
        raise missing[0]
    return rubric_of


def completeness(tables, rubric_of: dict[str, Rubric], out: Collector, con) -> None:
    """Per department: a budget row, every checklist criterion, declared weights that add
    up. The gaps are found in SQL on ``con`` (a year can hold millions of rows); only the
    few departments with a gap come back as findings."""
    rubrics = {r.id: r for r in rubric_of.values()}
    depts = pd.DataFrame(
        {"dept_code": list(rubric_of), "rubric": [r.id for r in rubric_of.values()]}, dtype=object
    )
    criteria = pd.DataFrame(
        [
            (rid, line, i)
            for rid, r in rubrics.items()
            for line, n in r.checklist_criteria().items()
            for i in range(1, n + 1)
        ],
        columns=["rubric", "line_code", "criterion_no"],
    ).astype({"rubric": object, "line_code": object, "criterion_no": "int64"})
    groups = {
        (rid, g): grp for rid, r in rubrics.items() for g, (_, grp) in r.declared_groups().items()
    }
    group_rows = pd.DataFrame(
        [(rid, g, str(grp.weight)) for (rid, g), grp in groups.items()],
        columns=["rubric", "group", "group_weight"],
        dtype=object,
    )
    frames = {"_depts": depts, "_criteria": criteria, "_groups": group_rows}
    frames |= {f"_{n}": t.reset_index() for n, t in tables.items() if not isinstance(t, BulkTable)}
    for name, frame in frames.items():
        con.register(name, frame)
    bulk = {n: f"store.{t.table}" for n, t in tables.items() if isinstance(t, BulkTable)}
    budget, checklist, indicators = (
        bulk.get(n, f"_{n}") for n in ("budget", "checklist", "indicators")
    )
    try:
        _missing_budget(con, budget, out)
        _missing_criteria(con, checklist, out)
        _weights_mismatch(con, indicators, groups, out)
    finally:
        for name in frames:
            con.unregister(name)


def _missing_budget(con, budget: str, out: Collector) -> None:
    missing = con.execute(f"""SELECT dept_code FROM _depts
        WHERE dept_code NOT IN (SELECT dept_code FROM {budget}) ORDER BY dept_code""").fetchall()
    for (dept,) in missing:
        out.finding(dept, "error", "missing_budget", {})


def _missing_criteria(con, checklist: str, out: Collector) -> None:
    gaps = con.execute(f"""SELECT d.dept_code, c.line_code,
               string_agg(CAST(c.criterion_no AS VARCHAR), ', ' ORDER BY c.criterion_no)
        FROM _depts d JOIN _criteria c USING (rubric)
        ANTI JOIN {checklist} h ON h.dept_code = d.dept_code AND h.line_code = c.line_code
             AND h.criterion_no = CAST(c.criterion_no AS VARCHAR)
        GROUP BY ALL ORDER BY 1, 2""").fetchall()
    for dept, line, missing in gaps:
        out.finding(
            dept, "error", "missing_checklist_rows", dict(line=line, criteria=missing), line
        )


def _weights_mismatch(con, indicators: str, groups: dict, out: Collector) -> None:
    # The sums first, the weights listed only for the groups that do not add up: an
    # ordered list of every department's weights cost seconds at national size.
    rows = con.execute(f"""WITH wrong AS (
            SELECT d.dept_code, d.rubric, g."group"
            FROM _depts d JOIN _groups g USING (rubric)
            LEFT JOIN {indicators} i ON i.dept_code = d.dept_code AND i."group" = g."group"
            GROUP BY ALL
            HAVING coalesce(sum(CAST(i.weight AS DECIMAL(18, 4))), 0)
                   <> CAST(any_value(g.group_weight) AS DECIMAL(38, 4)))
        SELECT w.dept_code, w.rubric, w."group",
               list(i.weight ORDER BY i.row_number) FILTER (WHERE i.weight IS NOT NULL)
        FROM wrong w
        LEFT JOIN {indicators} i ON i.dept_code = w.dept_code AND i."group" = w."group"
        GROUP BY ALL
        ORDER BY 1, 3""").fetchall()
    for dept, rubric, group, weights in rows:
        declared = sum(map(Decimal, weights or []), Decimal(0))
        weight = groups[(rubric, group)].weight
        out.finding(
            dept,
            "error",
            "declared_weights_mismatch",
            dict(group=group, declared=declared, weight=weight),
        )


def refused_departments(out: Collector, departments: set[str]) -> None:
    refused: dict[str, list[str]] = {}
    for r in out.rejected:
        if r["dept_code"] in departments:
            refused.setdefault(r["dept_code"], []).append(f"{r['file']} row {r['row_number']}")
    for dept, where in sorted(refused.items()):
        shown = ", ".join(where[:5]) + (", …" if len(where) > 5 else "")
        out.finding(dept, "error", "input_refused", dict(count=len(where), where=shown))
