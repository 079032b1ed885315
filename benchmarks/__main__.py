"""``python -m benchmarks``: the pipeline's speed and memory against size.

For every size (units × lines per unit × years) it generates the raw extracts once
(kept in --data; with findings and refused rows at about the rates of real years, unless
--clean), then measures, each in a fresh process: the pipeline stage by stage
(``benchmarks.ours``), the command users run, ``jixiao run --year Y --no-reports`` once
per year into a fresh warehouse (``benchmarks.command``), right after it the set-based
reference, the rubric in plain DuckDB SQL (``benchmarks.set_based``), and the row-by-row
Decimal reference (``benchmarks.row_by_row``); it prints one table row per size, then
the command's years one by one.
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
from benchmarks.sizes import Size, raw_for, rubrics_for, spoiled
from benchmarks.table import HEADER, YEARS_HEADER, row, year_rows
from pipelines.duck import attach

ROOT = Path(__file__).resolve().parents[1]

EPILOG = """\
examples:
  python -m benchmarks --units 1000 --years 1                      a quick look (~30 s)
  python -m benchmarks --units 1000 10000 100000 --years 1 10      the table of docs/performance.md
  python -m benchmarks --units 200 --years 1 --no-reference --data /tmp/b   the CI smoke test
  python -m benchmarks --units 10000 --no-reference --memory-limit 512MB
                                   the command, the stages and the set-based scorer at 512MB

Generated data is kept in --data and reused by later runs of the same size.

The command runs as a user runs it: `jixiao run --raw-dir RAW --warehouse W --year Y
--no-reports`, from a folder of its own under --data that holds `rubrics` (the
benchmark's rubric folder) and a copy of the project's dagster.yaml (DAGSTER_HOME
points there), with this environment otherwise (plus --memory-limit, --command-env).
Its peak memory is that of its largest process (a Great Expectations worker is a
process of its own), and the sampled sum of its processes ("tree").
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
    p.add_argument("--clean", action="store_true",
                   help="generate the data without findings and refused rows")  # fmt: skip
    p.add_argument("--no-command", dest="command", action="store_false",
                   help="skip timing `jixiao run`")  # fmt: skip
    p.add_argument("--memory-limit", metavar="SIZE",
                   help="JIXIAO_DUCKDB_MEMORY_LIMIT (e.g. 512MB) for the command, the stages "
                   "and the set-based scorer (default: the pipeline's own)")  # fmt: skip
    p.add_argument("--command-env", action="append", default=[], metavar="NAME=VALUE",
                   help="an environment variable for `jixiao run` only (repeatable)")  # fmt: skip
    p.add_argument("--json", type=Path, metavar="FILE", help="also write the figures as JSON")
    args = p.parse_args(argv)
    for item in args.command_env:
        if "=" not in item:
            p.error(f"--command-env {item}: expected NAME=VALUE")

    args.data.mkdir(parents=True, exist_ok=True)
    results = []
    print(HEADER, flush=True)
    for units in args.units:
        for years in args.years:
            size = Size(units, args.lines, years, args.fmt, realism=not args.clean)
            results.append(_measure(size, args.data, args))
            print(row(results[-1]), flush=True)
            if args.json:  # after every size: a long run that stops keeps what it measured
                args.json.write_text(json.dumps({"sizes": results}, indent=2))
    if args.command:
        print(f"\n{YEARS_HEADER}")
        for result in results:
            print("\n".join(year_rows(result)))
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


def _measure(size: Size, data: Path, args: argparse.Namespace) -> dict:
    rubrics = rubrics_for(data, size.year_list)
    raw, generated = raw_for(size, data, rubrics)
    warehouse = data / f"{size.name}.duckdb"
    for old in data.glob(f"*{size.name}*.duckdb*"):
        old.unlink()
    years = [str(y) for y in size.year_list]
    env = {"JIXIAO_DUCKDB_MEMORY_LIMIT": args.memory_limit} if args.memory_limit else {}
    leave_out = ["--leave-out", spoiled(raw)] if spoiled(raw) else []
    out = {
        "size": {**size.__dict__, "line_rows": size.line_rows, "last_year": size.year_list[-1]},
        "generated_s": generated,
        "warehouse": str(warehouse),
        "env": env,
        "ours": measure("benchmarks.ours", raw, rubrics, warehouse, *years, env=env),
    }
    if args.command:  # the set-based scorer next: the ratio of the two in the same sitting
        command_env = dict(item.split("=", 1) for item in args.command_env)
        out["command"] = _command(size, raw, rubrics, data, {**env, **command_env})
    set_based = data / f"set-based-{size.name}.duckdb"
    out["set_based"] = measure(
        "benchmarks.set_based", raw, rubrics, set_based, *years, *leave_out, env=env
    )
    out["set_based"]["disagreements"] = _disagreements(warehouse, set_based)
    if args.command and out["command"]["ok"]:
        out["command"]["disagreements"] = _disagreements(out["command"]["warehouse"], set_based)
    if args.reference:
        scores = data / f"reference-{size.name}.duckdb"
        out["reference"] = measure(
            "benchmarks.row_by_row", "--json", "--raw-dir", raw, "--rubrics-dir", rubrics,
            "--out", scores, "--years", *years, *leave_out,
        )  # fmt: skip
        out["reference"]["disagreements"] = _disagreements(warehouse, scores)
    return out


def _command(size: Size, raw: Path, rubrics: Path, data: Path, env: dict[str, str]) -> dict:
    """``jixiao run --year Y --no-reports`` for each year of ``size`` in turn, into one
    fresh warehouse, each timed in a fresh process (``benchmarks.command``). A year that
    fails ends the size: the next would compare with a year that is not there."""
    home = (data / f"command-{size.name}").resolve()
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    (home / "rubrics").symlink_to(rubrics.resolve(), target_is_directory=True)
    settings = ROOT / "dagster.yaml"  # the project's instance settings, as `make run` uses
    if settings.exists():
        shutil.copyfile(settings, home / "dagster.yaml")
    else:
        (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    warehouse = home / "jixiao.duckdb"
    jixiao = Path(sys.executable).with_name("jixiao")
    env = {"DAGSTER_HOME": str(home), **env}
    options = [f"--env={name}={value}" for name, value in env.items()]
    years = []
    for year in size.year_list:
        done = measure(
            "benchmarks.command", "--cwd", home, "--dagster-home", home, *options, "--",
            jixiao, "run", "--raw-dir", raw.resolve(), "--warehouse", warehouse,
            "--year", year, "--no-reports",
        )  # fmt: skip
        done["year"] = year
        if done["returncode"] == 0:
            done.update(_counts(warehouse, year))
        years.append(done)
        if done["returncode"] != 0:
            break
    shutil.rmtree(home / "warehouse" / ".staging", ignore_errors=True)  # GBs at national size
    ok = all(y["returncode"] == 0 for y in years) and len(years) == size.years
    return {
        "warehouse": str(warehouse),
        "env": env,
        "ok": ok,
        "seconds": sum(y["seconds"] for y in years),
        "peak_mib": max(y["peak_mib"] for y in years),
        "tree_peak_mib": max((y["tree_peak_mib"] or 0) for y in years) or None,
        "years": years,
    }


def _counts(warehouse: Path, year: int) -> dict:
    """What the command's year holds: departments scored, refused rows, and departments
    with a finding (the realism of the generated data, seen from the warehouse)."""
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as con:
        [(scored, refused, with_findings, held)] = con.execute(
            """SELECT (SELECT count(*) FROM department_scores WHERE year = $y),
                      (SELECT count(*) FROM rejected_rows WHERE year = $y),
                      (SELECT count(DISTINCT dept_code) FROM findings WHERE year = $y),
                      (SELECT count(*) FROM department_scores)""",
            {"y": year},
        ).fetchall()
    return {
        "scored": scored,
        "refused_rows": refused,
        "departments_with_findings": with_findings,
        "departments_held": held,
    }


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
