"""``jixiao``: the command line.

jixiao run [--raw-dir DIR] [--warehouse FILE] [--year YEAR …]
jixiao rubric check FILE …
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from pipelines import settings

EPILOG_RUN = """\
examples:
  jixiao run                                   score every year folder under raw/
  jixiao run --year 2023                       score 2023 only (re-run after corrected extracts)
  jixiao run --raw-dir /data/extracts --warehouse /data/jixiao.duckdb

Each year is written in one transaction: a year that fails leaves its previous
scores in the warehouse untouched. The exit status is 1 when any year failed.
With DAGSTER_HOME set, the runs and their checks appear in the Dagster UI.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="jixiao",
        description="Score departments' annual expenditure performance (部门整体支出绩效评价).",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser(
        "run",
        help="score fiscal years from raw extracts into the warehouse",
        description="Materialize the annual scoring assets for each chosen year.",
        epilog=EPILOG_RUN,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.add_argument(
        "--raw-dir",
        type=Path,
        metavar="DIR",
        default=settings.RAW_DIR,
        help="folder of <year>/ extract folders (default: %(default)s)",
    )
    run.add_argument(
        "--warehouse",
        type=Path,
        metavar="FILE",
        default=settings.WAREHOUSE_FILE,
        help="DuckDB warehouse file (default: %(default)s)",
    )
    run.add_argument(
        "--rubrics-dir",
        type=Path,
        metavar="DIR",
        default=settings.RUBRICS_DIR,
        help="folder of <jurisdiction>/<year>.yaml rubrics (default: %(default)s)",
    )
    run.add_argument(
        "--year",
        type=int,
        action="append",
        dest="years",
        metavar="YEAR",
        help="a fiscal year to score; repeat for several (default: every year folder)",
    )

    rubric = sub.add_parser("rubric", help="work with rubric files")
    rubric_sub = rubric.add_subparsers(dest="rubric_command", required=True, metavar="COMMAND")
    check = rubric_sub.add_parser(
        "check",
        help="validate rubric files without running anything",
        description="Validate rubric files. Every problem is printed as FILE: KEY.PATH: message.",
    )
    check.add_argument("files", nargs="+", type=Path, metavar="FILE")

    args = parser.parse_args(argv)
    if args.command == "run":
        return _run(args)
    return _rubric_check(args.files)


def _years(raw_dir: Path) -> list[int]:
    if not raw_dir.is_dir():
        return []
    return sorted(int(p.name) for p in raw_dir.iterdir() if re.fullmatch(r"\d{4}", p.name))


def _run(args: argparse.Namespace) -> int:
    from pipelines.defs.runner import run_years  # Dagster loads only when a run is asked for

    years = sorted(set(args.years or _years(args.raw_dir)))
    if not years:
        print(f"jixiao: no year folders (like {args.raw_dir}/2023/) to score", file=sys.stderr)
        return 2
    outcomes = run_years(
        args.raw_dir,
        args.rubrics_dir,
        args.warehouse,
        years,
        progress=sys.stderr.isatty() and not os.environ.get("CI"),
    )
    for outcome in outcomes:
        print(outcome.line())
    failed = [o for o in outcomes if not o.ok]
    print(f"warehouse: {args.warehouse}")
    if failed:
        print(
            f"{len(failed)} of {len(outcomes)} year(s) failed: "
            + ", ".join(str(o.year) for o in failed),
            file=sys.stderr,
        )
        return 1
    return 0


def _rubric_check(files: list[Path]) -> int:
    from pipelines.rubric import RubricError, load_rubric

    failed = 0
    for path in files:
        try:
            rubric = load_rubric(path)
            print(f"{path}: ok ({rubric.id}, {len(list(rubric.fixed_lines()))} fixed lines)")
        except RubricError as exc:
            failed += 1
            print(exc, file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
