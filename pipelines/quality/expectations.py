"""Great Expectations suites over one year of the warehouse, and their Data Docs.

The suites read DuckDB query results as pandas frames (no SQLAlchemy), in an
ephemeral GX context: nothing is written unless Data Docs are asked for, and then
only into the given folder. ``great_expectations`` takes seconds to import, so it is
imported inside the functions, never when the Dagster code location loads this module.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from pipelines.quality.checks import LINE_SCORE_IN_RANGE, TOTAL_IS_SUM_OF_SECTIONS

SEVERITIES = ["error", "warning", "info"]
SHOWN = 5  # unexpected values kept per failed expectation
# A suite's rows are handed to GX in batches of departments of at most about this many
# rows, so memory does not grow with the year: a national year's 3 million lines in
# one frame took 3.5 GB. Every suite's keys start with the department, so uniqueness
# within a batch is uniqueness within the year.
BATCH_ROWS = int(os.environ.get("JIXIAO_GX_BATCH_ROWS", 400_000))

# Each rubric version's total weight, read once per version: joined as the rubric's
# whole JSON, it rode along every section row into the window and took 2 GB nationally.
RUBRIC_WEIGHTS = """
    SELECT rubric_id, rubric_hash,
           CAST(json_extract_string(content, '$.total_weight') AS DOUBLE) AS total_weight
    FROM rubric_versions"""

# suite → its rows of the year ($year); cross-table rules arrive as computed columns.
# DECIMALs become floats in pandas only after DuckDB has summed them exactly.
# A rule declared in pipelines/quality/checks.py arrives as a boolean column named after
# it (the row does not break it), so the suite states it once, as the Dagster check does.
QUERIES = {
    # a line's text columns are read only as what the suite asks of them (explained,
    # the hash's length): 3 million strings into pandas took most of a national year's
    # validation
    "line_scores": f"""
        SELECT l.dept_code, l.line_code, l.rule_kind <> 'outcome' AS scored,
               l.computed_score, l.explain_keys IS NOT NULL AS explained,
               length(l.rubric_hash) AS rubric_hash_length,
               broken.dept_code IS NULL AS {LINE_SCORE_IN_RANGE.name}
        FROM line_scores l
        LEFT JOIN ({LINE_SCORE_IN_RANGE.sql}) broken USING (dept_code, line_code)
        WHERE l.year = $year""",
    "department_scores": f"""
        SELECT d.dept_code, d.total_score, d.grade, d.rubric_id,
               broken.dept_code IS NULL AS {TOTAL_IS_SUM_OF_SECTIONS.name},
               v.total_weight,
               d.dept_code IN (SELECT dept_code FROM staged_departments WHERE year = $year)
                   AS known
        FROM department_scores d
        LEFT JOIN ({RUBRIC_WEIGHTS}) v USING (rubric_id, rubric_hash)
        LEFT JOIN ({TOTAL_IS_SUM_OF_SECTIONS.sql}) broken USING (dept_code)
        WHERE d.year = $year""",
    "section_scores": f"""
        SELECT s.dept_code, s.section, s.weight, s.score,
               sum(s.weight) OVER (PARTITION BY s.dept_code) AS department_weight,
               v.total_weight
        FROM section_scores s
        LEFT JOIN ({RUBRIC_WEIGHTS}) v USING (rubric_id, rubric_hash)
        WHERE s.year = $year""",
    "findings": "SELECT dept_code, line_code, severity, code FROM findings WHERE year = $year",
}

# the columns that name a failing row in a report
KEYS = {
    "line_scores": ["dept_code", "line_code"],
    "department_scores": ["dept_code"],
    "section_scores": ["dept_code", "section"],
    "findings": ["dept_code", "line_code", "code"],
}


@dataclass
class SuiteResult:
    name: str
    success: bool
    failed: list[dict] = field(default_factory=list)


def validate_year(warehouse_path: str | Path, year: int) -> list[SuiteResult]:
    """Run every suite on ``year`` of the warehouse (opened read-only)."""
    context = _context()
    return [_summary(name, r) for name, r in _run(context, warehouse_path, year)]


def validate_with_docs(
    warehouse_path: str | Path, year: int, docs_dir: Path
) -> tuple[list[SuiteResult], Path]:
    """Validate ``year`` once, and render the suites and results as Data Docs in
    ``docs_dir``; returns the results and ``docs_dir/index.html``."""
    docs_dir = Path(docs_dir).resolve()
    context = _context()
    context.add_data_docs_site(
        "jixiao",
        {
            "class_name": "SiteBuilder",
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(docs_dir),
            },
        },
    )
    results = [_summary(name, r) for name, r in _run(context, warehouse_path, year)]
    context.build_data_docs(site_names=["jixiao"])
    return results, docs_dir / "index.html"


def _context():
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)  # not in Dagster logs
    return context


def _batches(con, name: str, year: int):
    """The suite's rows of ``year`` as frames of whole departments, ``BATCH_ROWS`` at most
    (about: departments are split by a hash of their code). The rows are computed once,
    into a temporary table the batches are read from."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE gx_rows AS {QUERIES[name]}", {"year": year})
    try:
        (rows,) = con.execute("SELECT count(*) FROM gx_rows").fetchone()
        parts = max(1, math.ceil(rows / BATCH_ROWS))
        if parts == 1:
            yield con.execute("SELECT * FROM gx_rows").df()
            return
        for part in range(parts):
            yield con.execute(
                "SELECT * FROM gx_rows WHERE hash(coalesce(dept_code, '')) % $parts = $part",
                {"parts": parts, "part": part},
            ).df()
    finally:
        con.execute("DROP TABLE IF EXISTS gx_rows")


def _run(context, warehouse_path, year: int) -> list[tuple[str, list]]:
    """Each suite's validation results, one per batch of departments."""
    import great_expectations as gx
    from great_expectations.core.run_identifier import RunIdentifier

    with duckdb.connect(str(warehouse_path), read_only=True) as con:
        # the year's latest run (a year of several jurisdictions has a run each)
        run = con.execute(
            "SELECT run_id, finished_at FROM runs WHERE year = ? "
            "ORDER BY finished_at DESC, run_id DESC LIMIT 1",
            [year],
        ).fetchone()
        rubrics = con.execute(
            "SELECT DISTINCT rubric_id, content FROM rubric_versions JOIN "
            "(SELECT DISTINCT rubric_id, rubric_hash FROM department_scores WHERE year = ?) "
            "USING (rubric_id, rubric_hash) ORDER BY rubric_id",
            [year],
        ).fetchall()
        grades = {rid: [b["grade"] for b in json.loads(c)["grades"]["bands"]] for rid, c in rubrics}
        source = context.data_sources.add_pandas(f"warehouse_{year}")
        out = []
        for name in QUERIES:
            suite = context.suites.add(_suite(name, grades))
            batch = source.add_dataframe_asset(name).add_batch_definition_whole_dataframe(name)
            vd = context.validation_definitions.add(
                gx.ValidationDefinition(name=name, data=batch, suite=suite)
            )
            fmt = {
                "result_format": "SUMMARY",
                "partial_unexpected_count": SHOWN,
                "unexpected_index_column_names": KEYS[name],
            }
            results = []
            for part, frame in enumerate(_batches(con, name, year)):
                # the warehouse run names the validation run, so Data Docs paths repeat
                # for a run; a batch after the first is a run of its own in the docs
                label = f"{year}-{run[0]}" + (f"-{part + 1}" if part else "") if run else None
                run_id = RunIdentifier(run_name=label, run_time=run[1]) if run else None
                results.append(
                    vd.run(batch_parameters={"dataframe": frame}, result_format=fmt, run_id=run_id)
                )
                del frame
            out.append((name, results))
    return out


def _suite(name: str, grades: dict[str, list[str]]):
    import great_expectations as gx
    import great_expectations.expectations as gxe
    from great_expectations.expectations.row_conditions import Column

    at_most = dict(or_equal=True, ignore_row_if="either_value_is_missing")
    expectations = {
        "line_scores": [
            gxe.ExpectColumnValuesToBeInSet(column=LINE_SCORE_IN_RANGE.name, value_set=[True]),
            # every line but an outcome (not applicable…) has a computed score
            gxe.ExpectColumnValuesToNotBeNull(
                column="computed_score",
                row_condition=Column("scored") == True,  # noqa: E712
            ),
            gxe.ExpectColumnValuesToBeInSet(column="explained", value_set=[True]),
            gxe.ExpectCompoundColumnsToBeUnique(column_list=["dept_code", "line_code"]),
            gxe.ExpectColumnValuesToBeInSet(column="rubric_hash_length", value_set=[64]),
        ],
        "department_scores": [
            gxe.ExpectColumnValuesToBeInSet(column=TOTAL_IS_SUM_OF_SECTIONS.name, value_set=[True]),
            gxe.ExpectColumnValuesToBeBetween(column="total_score", min_value=0),
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="total_weight", column_B="total_score", or_equal=True
            ),
            *(
                gxe.ExpectColumnValuesToBeInSet(
                    column="grade", value_set=g, row_condition=Column("rubric_id") == rid
                )
                for rid, g in grades.items()
            ),
            gxe.ExpectColumnValuesToBeUnique(column="dept_code"),
            gxe.ExpectColumnValuesToBeInSet(column="known", value_set=[True]),
        ],
        "section_scores": [
            gxe.ExpectColumnPairValuesToBeEqual(
                column_A="department_weight", column_B="total_weight"
            ),
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="weight", column_B="score", **at_most
            ),
        ],
        "findings": [
            gxe.ExpectColumnValuesToBeInSet(column="severity", value_set=SEVERITIES),
            gxe.ExpectColumnValuesToNotBeNull(column="code"),
        ],
    }[name]
    return gx.ExpectationSuite(name=name, expectations=expectations)


def _summary(name: str, batches: list) -> SuiteResult:
    """One result for the suite over every batch: a failed expectation's counts are
    summed, its examples kept up to ``SHOWN``."""
    merged: dict[str, dict] = {}
    for failure in (f for result in batches for f in _failures(result)):
        key = json.dumps(failure["kwargs"], sort_keys=True, ensure_ascii=False, default=str)
        if key not in merged:
            merged[key] = failure
            continue
        kept = merged[key]
        kept["unexpected_count"] = (kept["unexpected_count"] or 0) + (
            failure["unexpected_count"] or 0
        )
        for field_name in ("unexpected_values", "unexpected_rows"):
            kept[field_name] = (kept[field_name] + failure[field_name])[:SHOWN]
    return SuiteResult(name, all(bool(r.success) for r in batches), list(merged.values()))


def _failures(result) -> list[dict]:
    failed = []
    for r in result.results:
        if r.success:
            continue
        kwargs = {k: _plain(v) for k, v in r.expectation_config.kwargs.items() if k != "batch_id"}
        pair = [kwargs[c] for c in ("column_A", "column_B") if c in kwargs]
        failed.append(
            {
                "expectation": r.expectation_config.type,
                "column": kwargs.get("column") or kwargs.get("column_list") or pair,
                "kwargs": kwargs,
                "unexpected_count": r.result.get("unexpected_count"),
                "unexpected_values": _plain(r.result.get("partial_unexpected_list", [])),
                # the failing rows by their key columns (KEYS) with the values checked
                "unexpected_rows": _plain(r.result.get("partial_unexpected_index_list", [])),
            }
        )
    return failed


def _plain(value):
    """numpy scalars, NaN and tuples from GX results as plain, comparable Python values."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value
