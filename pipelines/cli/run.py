"""``jixiao run``: score fiscal years from raw extracts into the warehouse."""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

from pipelines import settings

EPILOG = """\
examples:
  jixiao run                                   score every year folder under raw/
  jixiao run --year 2023                       score 2023 only (re-run after corrected extracts)
  jixiao run --raw-dir /data/extracts --warehouse /data/jixiao.duckdb

Each year is written in one transaction: a year that fails leaves its previous
scores in the warehouse untouched. The exit status is 1 when any year failed.
With DAGSTER_HOME set, the runs and their checks appear in the Dagster UI.
"""


def add_parser(sub) -> None:
    from pipelines.cli import add_paths

    p = sub.add_parser(
        "run",
        help="score fiscal years from raw extracts into the warehouse",
        description="Materialize the annual scoring assets for each chosen year.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_paths(p, raw=True)
    p.add_argument(
        "--reports-dir",
        type=Path,
        default=settings.REPORTS_DIR,
        metavar="DIR",
        help="where the department and city-wide reports go (default: %(default)s)",
    )
    p.add_argument(
        "--no-reports",
        dest="reports",
        action="store_false",
        help="score, rank and publish, but leave the reports as they are",
    )
    p.add_argument(
        "--year",
        type=int,
        action="append",
        dest="years",
        metavar="YEAR",
        help="a fiscal year to score; repeat for several (default: every year folder)",
    )
    p.set_defaults(handler=handle)


def year_folders(raw_dir: Path) -> list[int]:
    if not raw_dir.is_dir():
        return []
    return sorted(int(p.name) for p in raw_dir.iterdir() if re.fullmatch(r"\d{4}", p.name))


def handle(args: argparse.Namespace) -> int:
    from pipelines.cli import fail
    from pipelines.defs.runner import run_years  # Dagster loads only when a run is asked for

    years = sorted(set(args.years or year_folders(args.raw_dir)))
    if not years:
        return fail(f"no year folders (like {args.raw_dir}/2023/) to score", 2)
    outcomes = run_years(
        args.raw_dir,
        args.rubrics_dir,
        args.warehouse,
        years,
        progress=sys.stderr.isatty() and not os.environ.get("CI"),
        reports_dir=args.reports_dir,
        reports=args.reports,
    )
    for outcome in outcomes:
        print(outcome.line())
    failed = [o for o in outcomes if not o.ok]
    print(f"warehouse: {args.warehouse}")
    if failed:
        years_failed = ", ".join(str(o.year) for o in failed)
        return fail(f"{len(failed)} of {len(outcomes)} year(s) failed: {years_failed}")
    return 0
