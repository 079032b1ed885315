"""Staging a year: raw files → canonical, validated frames, plus every refusal.

``read_year`` reads what is in ``raw/<year>/``; ``stage_year`` normalises and
validates it against the contract and the departments' rubrics. A refused row is
never dropped silently: it becomes a ``rejected`` record naming file, row, column,
value and reason (a catalog code and its parameters, never a sentence), and its
department is not scored (an ``error`` finding says why). The good rows of the same
file go on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from pipelines.ingest import context as ctxchecks
from pipelines.ingest import whole_year
from pipelines.ingest.bulk import BulkTable, Store, context_tables, stage_bulk
from pipelines.ingest.bulk_screen import context_sql
from pipelines.ingest.files import RawFile, RawYear, read_year
from pipelines.ingest.one_file import stage_file
from pipelines.ingest.refusals import FINDING_COLUMNS, REJECTED_COLUMNS, Collector, typed_frame
from pipelines.ingest.spec import extract_specs
from pipelines.messages import Message
from pipelines.rubric import Rubric

__all__ = ["RawFile", "RawYear", "StagedYear", "read_year", "stage_year"]


@dataclass
class StagedYear:
    year: int
    # canonical text of accepted rows; index = row number. A bulk-lane file's rows stay
    # in its staging file (BulkTable) until the warehouse writer copies them.
    tables: dict[str, pd.DataFrame | BulkTable]
    rejected: pd.DataFrame  # REJECTED_COLUMNS (params: JSON; refusals.reason_text words it)
    findings: pd.DataFrame  # FINDING_COLUMNS (params: JSON; refusals.finding_text words it)
    rubric_of: dict[str, Rubric]  # dept_code → rubric
    sources: dict[str, str]  # extract → "2023/budget.csv (utf-8)"
    # extract → sha256 of its file: the inputs this staging (and its scores) came from
    inputs: dict[str, str] = field(default_factory=dict)
    # Why the year must not be written: files refused whole, or refused rows in an
    # extract whose policy is fail_year. Empty: the year goes on. str() words each.
    blocking: list[Message] = field(default_factory=list)

    def frame(self, name: str) -> pd.DataFrame:
        """The accepted rows of an extract in pandas, whichever lane staged them."""
        table = self.tables[name]
        return table.frame() if isinstance(table, BulkTable) else table

    def frames(self) -> dict[str, pd.DataFrame]:
        """Every extract's accepted rows in pandas; a staging file is opened once, not
        once a table (30 ms each)."""
        out = {n: t for n, t in self.tables.items() if not isinstance(t, BulkTable)}
        bulk = [(n, t) for n, t in self.tables.items() if isinstance(t, BulkTable)]
        for path in sorted({t.path for _, t in bulk}):
            with duckdb.connect(str(path), read_only=True) as con:
                out.update({n: t.frame(con=con) for n, t in bulk if t.path == path})
        return {n: out[n] for n in self.tables}

    def jurisdictions(self) -> list[str]:
        return sorted(set(self.frame("departments")["jurisdiction"]))

    @property
    def unscorable(self) -> set[str]:
        errors = self.findings[self.findings["severity"] == "error"]
        return set(errors["dept_code"].dropna())


def stage_year(
    raw: RawYear, rubric_for: Callable[[str], Rubric], policies: dict[str, str] | None = None
) -> StagedYear:
    """Validate a year's files. ``rubric_for(jurisdiction)`` raises if there is no rubric.

    ``policies`` (extract → ``quarantine`` or ``fail_year``) override each extract's
    ``on_refusal`` in extracts.yaml: quarantine refuses bad rows and goes on; fail_year
    stops the year when any row of that extract is refused.
    """
    out = Collector()
    specs = extract_specs()
    tables: dict[str, pd.DataFrame | BulkTable] = {}
    store = Store(raw.year)

    def stage(name: str, checks: list) -> pd.DataFrame | BulkTable:
        checks = [*ctxchecks.every_extract(raw.year), *checks]
        file, spec = raw.files.get(name), specs[name]
        if file is not None and file.bulk and not file.error:
            context = context_sql(spec, raw.year, spec.max_executed_multiple)
            tables[name] = stage_bulk(file, spec, checks, out, store, context)
        else:
            tables[name] = stage_file(file, spec, checks, out)
        return tables[name]

    try:
        return _stage_all(raw, rubric_for, stage, tables, out, store, policies)
    finally:
        store.close()


def _stage_all(raw: RawYear, rubric_for, stage, tables, out: Collector, store: Store, policies):
    specs = extract_specs()
    departments = stage("departments", [])
    if isinstance(departments, BulkTable):
        departments = departments.frame(store)
    rubric_of = whole_year.rubrics_of(
        departments, rubric_for, raw.files.get("departments"), out, raw.year
    )
    src = raw.files["departments"].name if "departments" in raw.files else "departments"
    # A department whose own row was refused is still known: its other rows are not
    # "unknown" (one refusal says why it is not scored, not one per row it has).
    refused = {r["dept_code"] for r in out.rejected if r["file"] == src and r["dept_code"]}
    ctx = ctxchecks.Context(frozenset(departments["dept_code"]) | refused, rubric_of)
    context_tables(store, ctx.departments, rubric_of)
    stage("budget", ctxchecks.budget_checks(ctx, src, specs["budget"].max_executed_multiple))
    indicators = stage("indicators", ctxchecks.indicator_checks(ctx, src))
    stage("checklist", ctxchecks.checklist_checks(ctx, src))
    if "overrides" in raw.files:  # (the override checks look lines up in pandas)
        if isinstance(indicators, BulkTable):
            indicators = indicators.frame(store)
        stage("overrides", ctxchecks.override_checks(ctx, src, indicators))
    else:
        stage("overrides", [])
    stage("self_reported", ctxchecks.self_reported_checks(ctx, src))

    whole_year.completeness(tables, rubric_of, out, store.con)
    whole_year.refused_departments(out, set(ctx.departments))
    sources = {
        f.extract: f"{f.name} ({f.encoding})" for f in raw.files.values() if f.frame is not None
    }
    rejected = typed_frame(out.rejected, REJECTED_COLUMNS)
    inputs = {f.extract: f.sha256 for f in raw.files.values() if f.sha256}
    return StagedYear(
        year=raw.year,
        tables=tables,
        rejected=rejected,
        findings=typed_frame(out.findings, FINDING_COLUMNS),
        rubric_of=rubric_of,
        sources=sources,
        inputs=inputs,
        blocking=whole_year.blocking(
            rejected, raw, {**whole_year.default_policies(), **(policies or {})}
        ),
    )
