"""What a warehouse holds of its runs' results, reduced to a count and a digest per kind:
line scores, department totals, grades and ranks, findings and refused rows.

Two warehouses with the same digests hold the same results, value for value. The
queries read only columns every warehouse since "scores stored as facts" has, so the
same module digests a warehouse written by an earlier commit of the pipeline
(``python tests/warehouse/results.py W.duckdb``: it needs nothing but duckdb).
Numbers are compared as exact decimals, parameters with their keys sorted.
"""

import csv
import hashlib
import json
import sys
from pathlib import Path

import duckdb

from pipelines.duck import attach

EXACT = "CAST({} AS DECIMAL(38, 6))"
PARAMS = "CAST(list_sort(map_entries(params)) AS VARCHAR)"
QUERIES = {
    "line_scores": (
        "SELECT year, dept_code, line_code, "
        + ", ".join(EXACT.format(c) for c in ("final_score", "computed_score", "rate_pct"))
        + " FROM v_line_scores"
    ),
    "department_scores": (
        f"SELECT year, dept_code, {EXACT.format('total_score')}, grade, rank "
        "FROM v_department_scores"
    ),
    "findings": f"SELECT year, dept_code, line_code, severity, code, {PARAMS} FROM findings",
    "refusals": (
        f'SELECT year, file, row_number, "column", value, reason_code, {PARAMS} FROM rejected_rows'
    ),
}


def rows_apart(left, right, tables) -> dict[str, int]:
    """For each table: the rows (``run_id`` aside) that one warehouse holds and the other
    does not, counted both ways, duplicates included. All 0: the same rows."""
    with duckdb.connect() as con:
        con.execute(attach(left, "l", "READ_ONLY"))
        con.execute(attach(right, "r", "READ_ONLY"))
        out = {}
        for table in tables:
            one, other = (f"SELECT * EXCLUDE (run_id) FROM {side}.{table}" for side in "lr")
            out[table] = con.execute(
                f"SELECT count(*) FROM (({one} EXCEPT ALL {other}) "
                f"UNION ALL ({other} EXCEPT ALL {one}))"
            ).fetchone()[0]
    return out


def digest(warehouse) -> dict[str, dict]:
    """``{kind: {"rows": n, "sha256": …}}`` of the warehouse's results, every year."""
    out = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for kind, query in QUERIES.items():
            rows = con.execute(f"SELECT * FROM ({query}) ORDER BY ALL").fetchall()
            text = "\n".join(json.dumps([str(v) for v in row], ensure_ascii=False) for row in rows)
            out[kind] = {"rows": len(rows), "sha256": hashlib.sha256(text.encode()).hexdigest()}
    return out


# The generated year: 10,000 departments (and BJ-FAO) of 2023, with three cells spoiled
# so that rows are refused too: (file, row number as the refusal names it, column, value).
GENERATED_DEPARTMENTS = 10_000
SPOILED = [
    ("budget.csv", 6, "executed", "十万"),
    ("indicators.csv", 20, "weight", "abc"),
    ("checklist.csv", 30, "passed", "也许"),
]


def generated_year(out: Path) -> Path:
    """``out/2023``: the generated year with its spoiled cells (the same bytes each time)."""
    from pipelines.rubric.library import RubricLibrary
    from pipelines.samples import generate

    rubrics = RubricLibrary(Path(__file__).parents[2] / "rubrics")
    generate(out, [2023], GENERATED_DEPARTMENTS, lambda y: rubrics.get("beijing", y).rubric)
    for name, row, column, value in SPOILED:
        path = out / "2023" / name
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
        rows[row - 1][rows[0].index(column)] = value
        with path.open("w", encoding="utf-8", newline="") as f:
            csv.writer(f, lineterminator="\n").writerows(rows)
    return out / "2023"


def file_hashes(folder: Path) -> dict[str, str]:
    from pipelines.ingest.files import file_sha256  # the hash the pipeline records

    return {p.name: file_sha256(p) for p in sorted(folder.iterdir())}


if __name__ == "__main__":
    if sys.argv[1] == "generate":  # results.py generate OUT: the generated year's files
        print(json.dumps(file_hashes(generated_year(Path(sys.argv[2]))), indent=2))
    else:  # results.py W.duckdb: the warehouse's digests
        print(json.dumps(digest(sys.argv[1]), indent=2))
