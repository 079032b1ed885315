"""``python -m benchmarks``: the pipeline's speed and memory against size.

For every size (units × lines per unit × years) it generates the raw extracts once
(kept in --data), then measures, each in a fresh process: the pipeline stage by stage
(``benchmarks.ours``), the row-by-row Decimal reference (``benchmarks.row_by_row``)
and the set-based reference, the rubric in plain DuckDB SQL (``benchmarks.set_based``),
and prints one table row per size.
Nothing here asserts a time: the figures are for docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

from benchmarks.child import measure
from benchmarks.extras import dagster_year
from benchmarks.sizes import Size, raw_for, rubrics_for
from benchmarks.table import HEADER, row
from pipelines.duck import attach

EPILOG = """\
examples:
  python -m benchmarks --units 1000 --years 1                      a quick look (~30 s)
  python -m benchmarks --units 1000 10000 100000 --years 1 10      the table of docs/performance.md
  python -m benchmarks --units 200 --years 1 --no-reference --data /tmp/b   the CI smoke test

Generated data is kept in --data and reused by later runs of the same size.
"""


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Time the pipeline stage by stage (ingest + validate, score, rank, "
        "publish) with its peak memory, against a row-by-row Decimal reference and a "
        "set-based DuckDB SQL reference, for every size asked.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--units", type=int, nargs="+", default=[1000], metavar="N")
    p.add_argument("--years", type=int, nargs="+", default=[1], metavar="N")
    p.add_argument("--lines", type=int, default=30, help="scored lines per unit (default 30)")
    p.add_argument("--format", dest="fmt", choices=("csv", "parquet"), default="csv")
    p.add_argument("--data", type=Path, default=Path("tmp/benchmarks"), metavar="DIR")
    p.add_argument("--no-reference", dest="reference", action="store_false",
                   help="skip the row-by-row reference (slow at large sizes)")  # fmt: skip
    p.add_argument("--dagster-year", type=int, metavar="YEAR",
                   help="also time `jixiao run --year YEAR` on the bundled raw/")  # fmt: skip
    p.add_argument("--html-reports", action="store_true",
                   help="also time the department HTML reports of the first size")  # fmt: skip
    p.add_argument("--json", type=Path, metavar="FILE", help="also write the figures as JSON")
    args = p.parse_args(argv)

    args.data.mkdir(parents=True, exist_ok=True)
    results = []
    print(HEADER, flush=True)
    for units in args.units:
        for years in args.years:
            size = Size(units, args.lines, years, args.fmt)
            results.append(_measure(size, args.data, args.reference))
            print(row(results[-1]), flush=True)
            if args.json:  # after every size: a long run that stops keeps what it measured
                args.json.write_text(json.dumps({"sizes": results}, indent=2))
    extras = {}
    if args.html_reports:
        first = results[0]
        out = args.data / "html-reports"
        shutil.rmtree(out, ignore_errors=True)
        extras["html_reports"] = measure(
            "benchmarks.extras", first["warehouse"], first["size"]["last_year"], out
        )
        print(f"department HTML reports: {extras['html_reports']['pages']} pages in "
              f"{extras['html_reports']['seconds']['html reports']:.1f} s")  # fmt: skip
    if args.dagster_year:
        extras["dagster_year"] = dagster_year(Path("raw"), args.dagster_year)
        print(f"jixiao run --year {args.dagster_year} (Dagster: every asset, check and "
              f"report): {extras['dagster_year']:.1f} s")  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps({"sizes": results, **extras}, indent=2))
    return 0


def _measure(size: Size, data: Path, reference: bool) -> dict:
    rubrics = rubrics_for(data, size.year_list)
    raw, generated = raw_for(size, data, rubrics)
    warehouse = data / f"{size.name}.duckdb"
    for old in data.glob(f"*{size.name}*.duckdb*"):
        old.unlink()
    years = [str(y) for y in size.year_list]
    out = {
        "size": {**size.__dict__, "line_rows": size.line_rows, "last_year": size.year_list[-1]},
        "generated_s": generated,
        "warehouse": str(warehouse),
        "ours": measure("benchmarks.ours", raw, rubrics, warehouse, *years),
    }
    set_based = data / f"set-based-{size.name}.duckdb"
    out["set_based"] = measure("benchmarks.set_based", raw, rubrics, set_based, *years)
    out["set_based"]["disagreements"] = _disagreements(warehouse, set_based)
    if reference:
        scores = data / f"reference-{size.name}.duckdb"
        out["reference"] = measure(
            "benchmarks.row_by_row", "--json", "--raw-dir", raw, "--rubrics-dir", rubrics,
            "--out", scores, "--years", *years,
        )  # fmt: skip
        out["reference"]["disagreements"] = _disagreements(warehouse, scores)
    return out


def _disagreements(warehouse: Path, reference: Path) -> int:
    """Departments whose total or grade differ between the pipeline and a reference
    (``department_scores`` of each file): 0, or the comparison is not like with like."""
    import duckdb

    with duckdb.connect() as con:
        con.execute(attach(warehouse, "ours", "READ_ONLY"))
        con.execute(attach(reference, "ref", "READ_ONLY"))
        [(n,)] = con.execute("""
            SELECT count(*) FROM ours.department_scores o
            FULL JOIN ref.department_scores r USING (year, dept_code)
            WHERE o.total_score IS DISTINCT FROM r.total_score OR o.grade IS DISTINCT FROM r.grade
        """).fetchall()
    return n


if __name__ == "__main__":
    sys.exit(main())
