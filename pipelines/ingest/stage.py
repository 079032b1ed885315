"""Staging a year: raw files → canonical, validated frames, plus every refusal.

``read_year`` reads what is in ``raw/<year>/``; ``stage_year`` normalises and
validates it against the contract and the departments' rubrics. A refused row is
never dropped silently: it becomes a ``rejected`` record naming file, row, column,
value and reason, and its department is not scored (an ``error`` finding says why).
The good rows of the same file go on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from pipelines.ingest import context as ctxchecks
from pipelines.ingest.normalise import normalise_column
from pipelines.ingest.read import ReadError, find_extract, read_table
from pipelines.ingest.schemas import build_schema
from pipelines.ingest.spec import ColumnSpec, ExtractSpec, extract_specs, header_key
from pipelines.rubric import Rubric, RubricMissing

REJECTED_COLUMNS = ["file", "row_number", "column", "value", "reason"]
FINDING_COLUMNS = ["dept_code", "line_code", "severity", "code", "message"]
BUILTIN_REASONS = {
    "not_nullable": "required value is empty",
    "column_in_dataframe": "required column is missing",
}


@dataclass
class RawFile:
    extract: str
    name: str  # shown to people: "2023/budget.csv"
    frame: pd.DataFrame | None = None
    encoding: str | None = None
    error: str | None = None


@dataclass
class RawYear:
    year: int
    files: dict[str, RawFile] = field(default_factory=dict)


@dataclass
class StagedYear:
    year: int
    tables: dict[str, pd.DataFrame]  # canonical text of accepted rows; index = row number
    rejected: pd.DataFrame  # REJECTED_COLUMNS
    findings: pd.DataFrame  # FINDING_COLUMNS
    rubric_of: dict[str, Rubric]  # dept_code → rubric
    sources: dict[str, str]  # extract → "2023/budget.csv (utf-8)"
    # Why the year must not be written: files refused whole, or refused rows in an
    # extract whose policy is fail_year. Empty: the year goes on.
    blocking: list[str] = field(default_factory=list)

    @property
    def unscorable(self) -> set[str]:
        errors = self.findings[self.findings["severity"] == "error"]
        return set(errors["dept_code"].dropna())


def read_year(raw_dir: Path, year: int) -> RawYear:
    year_dir = Path(raw_dir) / str(year)
    raw = RawYear(year)
    for name, spec in extract_specs().items():
        paths = find_extract(year_dir, name)
        if not paths:
            if spec.required:
                why = "required file is missing" if year_dir.is_dir() else f"no folder {year_dir}"
                raw.files[name] = RawFile(name, f"{year}/{name}", error=why)
            continue
        shown = f"{year}/{paths[0].name}"
        if len(paths) > 1:
            names = ", ".join(p.name for p in paths)
            raw.files[name] = RawFile(name, shown, error=f"more than one file for it: {names}")
            continue
        try:
            frame, encoding = read_table(paths[0], set(spec.header_map()))
            raw.files[name] = RawFile(name, shown, frame, encoding)
        except ReadError as exc:
            raw.files[name] = RawFile(name, shown, error=str(exc))
    return raw


class _Collector:
    """Accumulates refusals and findings while a year is staged."""

    def __init__(self) -> None:
        self.rejected: list[dict] = []
        self.findings: list[dict] = []

    def refuse(self, file, row, column, value, reason, dept=None) -> None:
        self.rejected.append(
            dict(
                file=file, row_number=row, column=column, value=value, reason=reason, dept_code=dept
            )
        )

    def finding(self, dept, severity, code, message, line=None) -> None:
        self.findings.append(
            dict(dept_code=dept, line_code=line, severity=severity, code=code, message=message)
        )


def stage_year(
    raw: RawYear, rubric_for: Callable[[str], Rubric], policies: dict[str, str] | None = None
) -> StagedYear:
    """Validate a year's files. ``rubric_for(jurisdiction)`` raises if there is no rubric.

    ``policies`` (extract → ``quarantine`` or ``fail_year``) override each extract's
    ``on_refusal`` in extracts.yaml: quarantine refuses bad rows and goes on; fail_year
    stops the year when any row of that extract is refused.
    """
    out = _Collector()
    specs = extract_specs()
    tables: dict[str, pd.DataFrame] = {}

    def stage(name: str, checks: list) -> pd.DataFrame:
        checks = [*ctxchecks.every_extract(raw.year), *checks]
        tables[name] = _stage_file(raw.files.get(name), specs[name], checks, out)
        return tables[name]

    departments = stage("departments", [])
    rubric_of = _rubrics_of(departments, rubric_for, raw.files.get("departments"), out)
    src = raw.files["departments"].name if "departments" in raw.files else "departments"
    # A department whose own row was refused is still known: its other rows are not
    # "unknown" (one refusal says why it is not scored, not one per row it has).
    refused = {r["dept_code"] for r in out.rejected if r["file"] == src and r["dept_code"]}
    ctx = ctxchecks.Context(frozenset(departments["dept_code"]) | refused, rubric_of)
    stage("budget", ctxchecks.budget_checks(ctx, src))
    indicators = stage("indicators", ctxchecks.indicator_checks(ctx, src))
    stage("checklist", ctxchecks.checklist_checks(ctx, src))
    stage("overrides", ctxchecks.override_checks(ctx, src, indicators))
    stage("self_reported", ctxchecks.self_reported_checks(ctx, src))

    _completeness(tables, rubric_of, out)
    _refused_departments(out, set(ctx.departments))
    sources = {
        f.extract: f"{f.name} ({f.encoding})" for f in raw.files.values() if f.frame is not None
    }
    rejected = pd.DataFrame(out.rejected, columns=[*REJECTED_COLUMNS, "dept_code"])
    return StagedYear(
        year=raw.year,
        tables=tables,
        rejected=rejected,
        findings=pd.DataFrame(out.findings, columns=FINDING_COLUMNS),
        rubric_of=rubric_of,
        sources=sources,
        blocking=_blocking(rejected, raw, {**_default_policies(), **(policies or {})}),
    )


def _default_policies() -> dict[str, str]:
    return {name: spec.on_refusal for name, spec in extract_specs().items()}


def _blocking(rejected: pd.DataFrame, raw: RawYear, policies: dict[str, str]) -> list[str]:
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


def _rubrics_of(departments, rubric_for, file: RawFile | None, out: _Collector) -> dict:
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


def _empty(spec: ExtractSpec) -> pd.DataFrame:
    frame = pd.DataFrame({c: pd.Series(dtype=object) for c in spec.columns})
    frame.index.name = "row_number"
    return frame


def _stage_file(raw: RawFile | None, spec: ExtractSpec, checks, out: _Collector) -> pd.DataFrame:
    if raw is None:
        return _empty(spec)
    if raw.error:
        out.refuse(raw.name, None, None, None, raw.error)
        return _empty(spec)
    frame = _rename_headers(raw, spec, out)
    if frame is None:
        return _empty(spec)
    for col in spec.columns.values():
        frame[col.name] = normalise_column(frame[col.name], col)
    schema = build_schema(spec, checks)
    bad_rows = _validate(frame, schema, raw.name, out)
    good = frame.drop(index=sorted(bad_rows))
    return good[list(spec.columns)]


def _rename_headers(raw: RawFile, spec: ExtractSpec, out: _Collector) -> pd.DataFrame | None:
    frame = raw.frame.copy()
    for row, text in frame.attrs.get("above_header", []):
        out.finding(
            None,
            "info",
            "row_above_header",
            f"{raw.name}: row {row} above the header was not read as data: {text!r}",
        )
    known = spec.header_map()
    renamed: dict[str, str] = {}
    for header in frame.columns:
        if header == "__overflow__":
            continue
        key = header_key(header)
        ident = known.get(key) or known.get(key.split("(")[0].strip())  # "全年预算数(万元)"
        if ident is None:
            out.finding(
                None,
                "info",
                "column_ignored",
                f"{raw.name}: column {header!r} is not in the contract and was ignored",
            )
            continue
        if ident in renamed.values():
            out.refuse(
                raw.name,
                1,
                ident,
                header,
                f"two headers name the same column {ident!r}; the file is refused",
            )
            return None
        renamed[header] = ident
    missing = [
        c.name for c in spec.columns.values() if c.required and c.name not in renamed.values()
    ]
    for col in missing:
        labels = " / ".join((col, *spec.columns[col].labels))
        out.refuse(
            raw.name,
            1,
            col,
            None,
            f"required column is missing (accepted headers: {labels}); the file is refused",
        )
    if missing:
        return None
    overflow = frame["__overflow__"]
    dept_header = next((h for h, ident in renamed.items() if ident == "dept_code"), None)
    for row, extra in overflow[overflow != ""].items():
        dept = _code(frame.at[row, dept_header]) if dept_header else None
        out.refuse(raw.name, row, None, extra, "the row has more cells than the header", dept)
    frame = frame[overflow == ""].drop(columns="__overflow__")
    frame = frame[list(renamed)].rename(columns=renamed)
    for col in spec.columns:
        if col not in frame:
            frame[col] = None
    return frame


def _code(value: object) -> str | None:
    return normalise_column(pd.Series([value], dtype=object), ColumnSpec("dept_code", "code"))[0]


def _validate(frame: pd.DataFrame, schema, file: str, out: _Collector) -> set[int]:
    try:
        schema.schema.validate(frame, lazy=True)
        return set()
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    bad: set[int] = set()
    seen: set[tuple] = set()
    for case in cases.itertuples(index=False):
        if pd.isna(case.index):
            continue  # column-level problems were refused while reading the headers
        row = int(case.index)
        check = str(case.check)
        row_check = schema.row_checks.get(check)
        column = row_check.column if row_check else case.column
        if (row, column, check) in seen:
            continue
        seen.add((row, column, check))
        value = None if "," in column else frame.at[row, column]
        dept = frame.at[row, "dept_code"] if "dept_code" in frame else None
        out.refuse(file, row, column, value, BUILTIN_REASONS.get(check, check), dept)
        bad.add(row)
    return bad


def _completeness(tables, rubric_of: dict[str, Rubric], out: _Collector) -> None:
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


def _refused_departments(out: _Collector, departments: set[str]) -> None:
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
