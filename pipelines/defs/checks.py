"""Asset checks: what operators watch in the Dagster UI.

A file refused whole blocks the year (ERROR), so the warehouse keeps its last good
state; refused rows warn (WARN) and the good rows go on. In a backfill (several years
in one run) a year that blocks stops the scoring of every year of the run.

Each check gives one result per partition (jurisdiction × year) of the run
(``by_partition``, pipelines/defs/years.py): one for a partition's run, one per
partition for a backfill. Checks of what one partition's run writes (every department
scored, consistent scores, findings to review, rank stability, the snapshot, the
reports) read that jurisdiction's part of the year (with the year's own findings), so a
run of another jurisdiction at the same time cannot fail them. The checks of the files
read the year's files, which every jurisdiction shares.
"""

from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd

from pipelines import faults
from pipelines.defs.assets import (
    published_warehouse,
    rank_stability,
    raw_extracts,
    reports,
    scored_year,
    staged_extracts,
)
from pipelines.defs.metadata import files_table, joined, markdown_table
from pipelines.defs.resources import ReportsFolder, Warehouse
from pipelines.defs.years import Partition, by_partition
from pipelines.ingest.stage import RawYear, StagedYear
from pipelines.messages import label, say
from pipelines.quality.checks import SCORES_CONSISTENT, offending_rows
from pipelines.warehouse.views import rendered_findings

SAMPLE_ROWS = 20  # rows of a sample shown in the UI


@dg.asset_check(
    asset=staged_extracts,
    blocking=True,
    partitions_def=staged_extracts.partitions_def,
    description=say("dagster.check.extracts_usable"),
)
def extracts_usable(context: dg.AssetCheckExecutionContext, staged_extracts: dict[str, StagedYear]):
    yield from by_partition(context, lambda p: _extracts_usable(staged_extracts[p.key]))


def _extracts_usable(staged_extracts: StagedYear) -> dg.AssetCheckResult:
    rejected = staged_extracts.rejected.drop(columns="dept_code")
    metadata = {
        say("dagster.meta.rows_refused"): len(rejected),
        say("dagster.meta.refusals_sample"): markdown_table(rejected),
        say("dagster.meta.rule"): say("dagster.result.extracts_usable_rule"),
    }
    blocking = staged_extracts.blocking  # strings or Messages: str() renders either
    if blocking:
        return dg.AssetCheckResult(
            passed=False,
            severity=dg.AssetCheckSeverity.ERROR,
            metadata={
                **metadata,
                say("dagster.meta.why_the_year_stops"): "\n".join(map(str, blocking)),
            },
            description=say("dagster.result.year_not_scored", why=joined(blocking)),
        )
    if len(rejected):
        return dg.AssetCheckResult(
            passed=False,
            severity=dg.AssetCheckSeverity.WARN,
            metadata=metadata,
            description=say("dagster.result.rows_refused"),
        )
    return dg.AssetCheckResult(passed=True, metadata=metadata)


@dg.asset_check(
    asset=scored_year,
    partitions_def=scored_year.partitions_def,
    description=say("dagster.check.scores_consistent"),
)
def scores_consistent(context: dg.AssetCheckExecutionContext, warehouse: Warehouse):
    faults.reached("checks")
    yield from by_partition(context, lambda p: _scores_consistent(p, warehouse))


def _scores_consistent(p: Partition, warehouse: Warehouse) -> dg.AssetCheckResult:
    # the rules of pipelines.quality.checks.SCORES_CONSISTENT, each declared there once
    with warehouse.get_connection() as con:
        bad = offending_rows(con, int(p.year), SCORES_CONSISTENT, p.jurisdiction)
    about = {c.name: say(c.about) for c in SCORES_CONSISTENT}
    bad["rule"] = bad.pop("check").map(about)
    return dg.AssetCheckResult(
        passed=bad.empty,
        metadata={
            say("dagster.meta.failing_rows"): len(bad),
            say("dagster.meta.failing_sample"): markdown_table(bad),
        },
    )


@dg.asset_check(
    asset=scored_year,
    partitions_def=scored_year.partitions_def,
    description=say("dagster.check.all_departments_scored"),
)
def all_departments_scored(context: dg.AssetCheckExecutionContext, warehouse: Warehouse):
    yield from by_partition(context, lambda p: _all_departments_scored(p, warehouse))


def _all_departments_scored(p: Partition, warehouse: Warehouse) -> dg.AssetCheckResult:
    with warehouse.get_connection() as con:
        missing = con.execute(
            """SELECT d.dept_code, d.dept_name FROM staged_departments d
               ANTI JOIN department_scores s ON s.year = d.year AND s.dept_code = d.dept_code
               WHERE d.year = ? AND d.jurisdiction = ?""",
            [int(p.year), p.jurisdiction],
        ).df()
        # why, for the first few only: a finding's sentence is rendered row by row
        why = rendered_findings(
            con,
            "year = ? AND severity = 'error' AND dept_code IN (SELECT d.dept_code "
            "FROM staged_departments d ANTI JOIN department_scores s ON s.year = d.year "
            "AND s.dept_code = d.dept_code WHERE d.year = ? AND d.jurisdiction = ?)",
            [int(p.year), int(p.year), p.jurisdiction],
            order="dept_code, code",
            limit=SAMPLE_ROWS,
        )
    sample = missing.sort_values("dept_code", ignore_index=True)
    sample = sample.merge(why[["dept_code", "code", "message"]], on="dept_code", how="left")
    return dg.AssetCheckResult(
        passed=missing.empty,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            say("dagster.meta.departments_not_scored"): len(missing),
            say("dagster.meta.why_sample"): markdown_table(sample),
        },
    )


@dg.asset_check(
    asset=raw_extracts,
    partitions_def=raw_extracts.partitions_def,
    description=say("dagster.check.files_readable"),
)
def files_readable(context: dg.AssetCheckExecutionContext, raw_extracts: dict[str, RawYear]):
    yield from by_partition(context, lambda p: _files_readable(raw_extracts[p.key]))


def _files_readable(raw_extracts: RawYear) -> dg.AssetCheckResult:
    files = files_table(raw_extracts)
    bad = files[files["error"].notna()]
    return dg.AssetCheckResult(
        passed=bad.empty,
        metadata={
            say("dagster.meta.files"): markdown_table(files),
            say("dagster.meta.unreadable_or_missing"): len(bad),
        },
        description=None
        if bad.empty
        else joined(
            say("dagster.result.file_error", file=r.file, error=r.error) for r in bad.itertuples()
        ),
    )


@dg.asset_check(
    asset=scored_year,
    partitions_def=scored_year.partitions_def,
    description=say("dagster.check.findings_to_review"),
)
def findings_to_review(context: dg.AssetCheckExecutionContext, warehouse: Warehouse):
    yield from by_partition(context, lambda p: _findings_to_review(p, warehouse))


def _findings_to_review(p: Partition, warehouse: Warehouse) -> dg.AssetCheckResult:
    # the jurisdiction's findings and the year's own (no department's jurisdiction)
    mine = "year = ? AND (jurisdiction = ? OR jurisdiction IS NULL)"
    params = [int(p.year), p.jurisdiction]
    with warehouse.get_connection() as con:
        # counted by code from the table: no sentence is needed to count
        counts = con.execute(
            f"SELECT severity, code, count(*) AS n FROM findings WHERE {mine} "
            "GROUP BY ALL ORDER BY severity, code",
            params,
        ).df()
        sample = rendered_findings(
            con,
            f"{mine} AND severity <> 'info'",
            params,
            order="severity, code, dept_code, line_code",
            limit=SAMPLE_ROWS,
        )
    for frame in (counts, sample):  # error, warning, info as the catalog names them
        frame["severity"] = frame["severity"].map(lambda s: label("dagster.severity", s))
    return dg.AssetCheckResult(
        passed=sample.empty,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            say("dagster.meta.by_code"): markdown_table(counts),
            say("dagster.meta.to_review_sample"): markdown_table(sample),
            say("dagster.meta.rule"): say("dagster.result.findings_rule"),
        },
    )


@dg.asset_check(
    asset=rank_stability,
    partitions_def=rank_stability.partitions_def,
    description=say("dagster.check.stability_complete"),
)
def stability_complete(context: dg.AssetCheckExecutionContext, warehouse: Warehouse):
    yield from by_partition(context, lambda p: _stability_complete(p, warehouse))


def _stability_complete(p: Partition, warehouse: Warehouse) -> dg.AssetCheckResult:
    with warehouse.get_connection() as con:
        missing = con.execute(
            """SELECT d.dept_code FROM v_department_scores d
               LEFT JOIN rank_stability s USING (year, dept_code)
               WHERE d.year = ? AND d.jurisdiction = ? AND s.dept_code IS NULL ORDER BY 1""",
            [int(p.year), p.jurisdiction],
        ).df()
    return dg.AssetCheckResult(
        passed=missing.empty,
        metadata={
            say("dagster.meta.missing"): len(missing),
            say("dagster.meta.missing_sample"): markdown_table(missing),
        },
    )


@dg.asset_check(
    asset=published_warehouse,
    partitions_def=published_warehouse.partitions_def,
    description=say("dagster.check.snapshot_matches"),
)
def snapshot_matches(context: dg.AssetCheckExecutionContext, warehouse: Warehouse):
    yield from by_partition(context, lambda p: _snapshot_matches(p, warehouse))


def _snapshot_matches(p: Partition, warehouse: Warehouse) -> dg.AssetCheckResult:
    query = (
        "SELECT count(*), sum(total_score) FROM v_department_scores "
        "WHERE year = ? AND jurisdiction = ?"
    )
    params = [int(p.year), p.jurisdiction]
    with warehouse.get_connection() as con:
        working = con.execute(query, params).fetchone()
    with duckdb.connect(warehouse.published, read_only=True) as snap:
        published = snap.execute(query, params).fetchone()
    return dg.AssetCheckResult(
        passed=working == published,
        metadata={
            say("dagster.meta.working"): str(working),
            say("dagster.meta.published"): str(published),
        },
    )


@dg.asset_check(
    asset=reports,
    partitions_def=reports.partitions_def,
    description=say("dagster.check.reports_complete"),
)
def reports_complete(
    context: dg.AssetCheckExecutionContext, warehouse: Warehouse, reports_folder: ReportsFolder
):
    yield from by_partition(context, lambda p: _reports_complete(p, warehouse, reports_folder))


def _reports_complete(
    p: Partition, warehouse: Warehouse, reports_folder: ReportsFolder
) -> dg.AssetCheckResult:
    year = int(p.year)
    with duckdb.connect(warehouse.published, read_only=True) as snap:
        scored = snap.execute(
            "SELECT jurisdiction, dept_code FROM v_department_scores "
            "WHERE year = ? AND jurisdiction = ?",
            [year, p.jurisdiction],
        ).fetchall()
    # pipelines.reports loads matplotlib: imported when the check runs, not at load
    from pipelines.reports.paths import department_file

    folder = Path(reports_folder.path)
    missing = [
        (j, d, fmt)
        for j, d in scored
        for fmt in ("html", "xlsx", "md")
        if not department_file(folder, year, j, d, fmt).is_file()
    ]
    frame = pd.DataFrame(missing, columns=["jurisdiction", "dept_code", "format"])
    return dg.AssetCheckResult(
        passed=not missing,
        metadata={
            say("dagster.meta.departments"): len(scored),
            say("dagster.meta.missing_files"): len(missing),
            say("dagster.meta.missing_sample"): markdown_table(frame),
        },
    )
