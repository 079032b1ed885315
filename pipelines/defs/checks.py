"""Asset checks: what operators watch in the Dagster UI.

A file refused whole blocks the year (ERROR), so the warehouse keeps its last good
state; refused rows warn (WARN) and the good rows go on.
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
from pipelines.defs.metadata import files_table, markdown_table
from pipelines.defs.resources import ReportsFolder, Warehouse
from pipelines.ingest.stage import RawYear, StagedYear


@dg.asset_check(
    asset=staged_extracts,
    blocking=True,
    partitions_def=staged_extracts.partitions_def,
    description="Every required file was read and has its required columns.",
)
def extracts_usable(staged_extracts: StagedYear) -> dg.AssetCheckResult:
    rejected = staged_extracts.rejected.drop(columns="dept_code")
    metadata = {
        "rows refused": len(rejected),
        "refusals (sample)": markdown_table(rejected),
        "rule": "a file refused whole, or a refused row of a fail_year extract, stops the "
        "year; other refused rows are quarantined and their departments not scored",
    }
    if staged_extracts.blocking:
        return dg.AssetCheckResult(
            passed=False,
            severity=dg.AssetCheckSeverity.ERROR,
            metadata={**metadata, "why the year stops": "\n".join(staged_extracts.blocking)},
            description="the year is not scored: " + "; ".join(staged_extracts.blocking),
        )
    if len(rejected):
        return dg.AssetCheckResult(
            passed=False,
            severity=dg.AssetCheckSeverity.WARN,
            metadata=metadata,
            description="rows were refused; their departments are not scored",
        )
    return dg.AssetCheckResult(passed=True, metadata=metadata)


def _partition_year(context: dg.AssetCheckExecutionContext) -> int:
    return int(context.partition_key)


@dg.asset_check(
    asset=scored_year,
    partitions_def=scored_year.partitions_def,
    description="Every line score lies between 0 and its weight; sums agree.",
)
def scores_consistent(
    context: dg.AssetCheckExecutionContext, warehouse: Warehouse
) -> dg.AssetCheckResult:
    year = _partition_year(context)
    faults.reached("checks")
    with warehouse.get_connection() as con:
        bad = con.execute(
            """SELECT dept_code, line_code, weight, final_score, 'score outside 0..weight' AS rule
               FROM line_scores WHERE year = ? AND (final_score < 0 OR final_score > weight)
               UNION ALL
               SELECT d.dept_code, NULL, NULL, d.total_score, 'total ≠ sum of sections'
               FROM department_scores d JOIN (SELECT dept_code, sum(score) AS s
                   FROM section_scores WHERE year = ? GROUP BY ALL) x USING (dept_code)
               WHERE d.year = ? AND d.total_score <> x.s""",
            [year, year, year],
        ).df()
    return dg.AssetCheckResult(
        passed=bad.empty,
        metadata={"failing rows": len(bad), "failing (sample)": markdown_table(bad)},
    )


@dg.asset_check(
    asset=scored_year,
    partitions_def=scored_year.partitions_def,
    description="Every department of the year was scored (error findings say why not).",
)
def all_departments_scored(
    context: dg.AssetCheckExecutionContext, warehouse: Warehouse
) -> dg.AssetCheckResult:
    year = _partition_year(context)
    with warehouse.get_connection() as con:
        missing = con.execute(
            """SELECT d.dept_code, d.dept_name, f.code, f.message
               FROM staged_departments d
               LEFT JOIN department_scores s ON s.year = d.year AND s.dept_code = d.dept_code
               LEFT JOIN findings f ON f.year = d.year AND f.dept_code = d.dept_code
                    AND f.severity = 'error'
               WHERE d.year = ? AND s.dept_code IS NULL ORDER BY d.dept_code""",
            [year],
        ).df()
    return dg.AssetCheckResult(
        passed=missing.empty,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "departments not scored": missing["dept_code"].nunique(),
            "why (sample)": markdown_table(missing),
        },
    )


@dg.asset_check(
    asset=raw_extracts,
    partitions_def=raw_extracts.partitions_def,
    description="Every required extract of the year is there and readable.",
)
def files_readable(raw_extracts: RawYear) -> dg.AssetCheckResult:
    files = files_table(raw_extracts)
    bad = files[files["error"].notna()]
    return dg.AssetCheckResult(
        passed=bad.empty,
        metadata={"files": markdown_table(files), "unreadable or missing": len(bad)},
        description=None
        if bad.empty
        else "; ".join(f"{r.file}: {r.error}" for r in bad.itertuples()),
    )


@dg.asset_check(
    asset=scored_year,
    partitions_def=scored_year.partitions_def,
    description="Reconciliation findings to review (reported vs derived figures, band, sums).",
)
def findings_to_review(
    context: dg.AssetCheckExecutionContext, warehouse: Warehouse
) -> dg.AssetCheckResult:
    year = _partition_year(context)
    with warehouse.get_connection() as con:
        counts = con.execute(
            "SELECT severity, code, count(*) AS n FROM findings WHERE year = ? "
            "GROUP BY ALL ORDER BY severity, code",
            [year],
        ).df()
        sample = con.execute(
            "SELECT dept_code, line_code, severity, code, message FROM findings "
            "WHERE year = ? AND severity <> 'info' ORDER BY severity, code, dept_code LIMIT 20",
            [year],
        ).df()
    return dg.AssetCheckResult(
        passed=sample.empty,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={
            "by code": markdown_table(counts),
            "to review (sample)": markdown_table(sample),
            "rule": "warnings and errors in v_findings for the year",
        },
    )


@dg.asset_check(
    asset=rank_stability,
    partitions_def=rank_stability.partitions_def,
    description="Every scored department has a rank-stability reading.",
)
def stability_complete(
    context: dg.AssetCheckExecutionContext, warehouse: Warehouse
) -> dg.AssetCheckResult:
    year = _partition_year(context)
    with warehouse.get_connection() as con:
        missing = con.execute(
            """SELECT d.dept_code FROM department_scores d
               LEFT JOIN rank_stability s USING (year, dept_code)
               WHERE d.year = ? AND s.dept_code IS NULL ORDER BY 1""",
            [year],
        ).df()
    return dg.AssetCheckResult(
        passed=missing.empty,
        metadata={"missing": len(missing), "missing (sample)": markdown_table(missing)},
    )


@dg.asset_check(
    asset=published_warehouse,
    partitions_def=published_warehouse.partitions_def,
    description="The published snapshot opens read-only and holds the year as written.",
)
def snapshot_matches(
    context: dg.AssetCheckExecutionContext, warehouse: Warehouse
) -> dg.AssetCheckResult:
    year = _partition_year(context)
    query = "SELECT count(*), sum(total_score) FROM department_scores WHERE year = ?"
    with warehouse.get_connection() as con:
        working = con.execute(query, [year]).fetchone()
    with duckdb.connect(warehouse.published, read_only=True) as snap:
        published = snap.execute(query, [year]).fetchone()
    return dg.AssetCheckResult(
        passed=working == published,
        metadata={
            "working (departments, sum of totals)": str(working),
            "published (departments, sum of totals)": str(published),
        },
    )


@dg.asset_check(
    asset=reports,
    partitions_def=reports.partitions_def,
    description="Every scored department has its HTML, XLSX and Markdown report.",
)
def reports_complete(
    context: dg.AssetCheckExecutionContext, warehouse: Warehouse, reports_folder: ReportsFolder
) -> dg.AssetCheckResult:
    year = _partition_year(context)
    with duckdb.connect(warehouse.published, read_only=True) as snap:
        scored = snap.execute(
            "SELECT jurisdiction, dept_code FROM v_department_scores WHERE year = ?", [year]
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
            "departments": len(scored),
            "missing files": len(missing),
            "missing (sample)": markdown_table(frame),
        },
    )
