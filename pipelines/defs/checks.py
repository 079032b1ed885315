"""Asset checks: what operators watch in the Dagster UI.

A file refused whole blocks the year (ERROR), so the warehouse keeps its last good
state; refused rows warn (WARN) and the good rows go on.
"""

import dagster as dg

from pipelines.defs.assets import scored_year, staged_extracts
from pipelines.defs.metadata import markdown_table
from pipelines.defs.resources import Warehouse
from pipelines.ingest.stage import StagedYear


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
