"""The floor: what DuckDB needs for the least scoring imaginable on the same rows.

A plain weighted sum per department — 20 × budget execution, Σ weight × min(actual /
target, 1) over the indicator lines, one point per passed checklist criterion — with
no rubric, no rounding rules, no explanations, no checks. Nothing real can be faster;
the benchmark reports how far above it the pipeline is.

    python -m benchmarks.floor score WAREHOUSE          from the staged rows
    python -m benchmarks.floor end-to-end RAW OUT YEAR…  from the raw files to a file
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import duckdb

from benchmarks.child import report

WEIGHTED_SUM = """
WITH ind AS (
    SELECT year, dept_code, sum(CAST(weight AS DECIMAL(18,4)) * CASE
        WHEN kind = 'quantitative' THEN least(TRY_CAST(actual AS DOUBLE)
                                              / TRY_CAST(target AS DOUBLE), 1)
        ELSE 1 END) AS s
    FROM {indicators} GROUP BY ALL),
chk AS (SELECT year, dept_code, count(*) FILTER (WHERE {passed}) AS s
        FROM {checklist} GROUP BY ALL),
bud AS (SELECT year, dept_code, 20 * least(CAST(executed AS DOUBLE)
                                           / CAST(full_year_budget AS DOUBLE), 1) AS s
        FROM {budget})
SELECT year, dept_code, b.s + coalesce(i.s, 0) + coalesce(c.s, 0) AS total
FROM bud b LEFT JOIN ind i USING (year, dept_code) LEFT JOIN chk c USING (year, dept_code)
"""


def score(warehouse: Path) -> float:
    with duckdb.connect() as con:
        con.execute("ATTACH ? AS w (READ_ONLY)", [str(warehouse)])
        start = time.perf_counter()
        sql = _weighted_sum("w.staged_", passed="passed")
        con.execute(f"CREATE TEMP TABLE floor_scores AS {sql}")
        return time.perf_counter() - start


def end_to_end(raw_dir: Path, out: Path, years: list[int]) -> float:
    start = time.perf_counter()
    with duckdb.connect(str(out)) as con:
        for name in ("indicators", "checklist", "budget"):
            files = [_file(raw_dir / str(y), name) for y in years]
            reader = "read_parquet" if files[0].suffix == ".parquet" else "read_csv"
            listed = ", ".join("'" + str(f).replace("'", "''") + "'" for f in files)
            con.execute(
                f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT CAST(regexp_extract("
                f"filename, '/(\\d{{4}})/', 1) AS INTEGER) AS year, * "
                f"FROM {reader}([{listed}], filename = true, union_by_name = true)"
            )
        sql = _weighted_sum("", passed="CAST(passed AS VARCHAR) IN ('true', '是')")
        con.execute(f"CREATE OR REPLACE TABLE floor_scores AS {sql}")
    return time.perf_counter() - start


def _weighted_sum(prefix: str, passed: str) -> str:
    tables = {name: f"{prefix}{name}" for name in ("indicators", "checklist", "budget")}
    return WEIGHTED_SUM.format(**tables, passed=passed)


def _file(year_dir: Path, name: str) -> Path:
    return next(p for p in year_dir.iterdir() if p.stem == name)


if __name__ == "__main__":
    what, *args = sys.argv[1:]
    if what == "score":
        report(seconds={"score": score(Path(args[0]))})
    else:
        seconds = end_to_end(Path(args[0]), Path(args[1]), [int(y) for y in args[2:]])
        report(seconds={"end to end": seconds})
