"""``jixiao run``: score fiscal years from raw extracts into the warehouse."""

from __future__ import annotations

import argparse
import os
import re
from pathlib import Path

from pipelines import progress, settings
from pipelines.cli.common import add_paths, command, fail
from pipelines.messages import say

# --reports: as pipelines.defs.runner.REPORTS (not imported here: it loads Dagster)
REPORTS = ("all", "summary", "none")


def add_parser(sub) -> None:
    p = command(sub, "run", "run", epilog=say("cli.run.epilog"))
    add_paths(p, raw=True)
    p.add_argument(
        "--reports-dir",
        type=Path,
        default=settings.REPORTS_DIR,
        metavar=say("cli.metavar.dir"),
        help=say("cli.run.reports_dir"),
    )
    p.add_argument(
        "--documents-dir",
        type=Path,
        default=settings.DOCUMENTS_DIR,
        metavar=say("cli.metavar.dir"),
        help=say("cli.run.documents_dir"),
    )
    p.add_argument(
        "--reports",
        choices=REPORTS,
        default="all",
        help=say("cli.run.reports", **dict(zip(REPORTS, REPORTS, strict=True))),
    )
    p.add_argument(
        "--no-reports",
        dest="reports",
        action="store_const",
        const="none",
        help=say("cli.run.no_reports"),
    )
    p.add_argument(
        "--no-expectations",
        dest="expectations",
        action="store_false",
        help=say("cli.run.no_expectations"),
    )
    p.add_argument(
        "--year",
        type=int,
        action="append",
        dest="years",
        metavar=say("cli.metavar.year"),
        help=say("cli.run.year"),
    )
    p.set_defaults(handler=handle)


def year_folders(raw_dir: Path) -> list[int]:
    if not raw_dir.is_dir():
        return []
    return sorted(int(p.name) for p in raw_dir.iterdir() if re.fullmatch(r"\d{4}", p.name))


def handle(args: argparse.Namespace) -> int:
    # The partitions are the jurisdictions of the rubrics folder, read when the Dagster
    # definitions load: they must load from the folder this command was given (and so
    # must those of any process the run starts, through the environment).
    before = os.environ.get("JIXIAO_RUBRICS_DIR"), settings.RUBRICS_DIR
    os.environ["JIXIAO_RUBRICS_DIR"] = str(args.rubrics_dir)
    settings.RUBRICS_DIR = args.rubrics_dir
    try:
        return _run(args)
    finally:
        if before[0] is None:
            os.environ.pop("JIXIAO_RUBRICS_DIR", None)
        else:
            os.environ["JIXIAO_RUBRICS_DIR"] = before[0]
        settings.RUBRICS_DIR = before[1]


def _run(args: argparse.Namespace) -> int:
    from pipelines.defs.runner import run_years  # Dagster loads only when a run is asked for

    years = sorted(set(args.years or year_folders(args.raw_dir)))
    if not years:
        return fail(say("cli.run.no_years", raw_dir=args.raw_dir), 2)
    outcomes = run_years(
        args.raw_dir,
        args.rubrics_dir,
        args.warehouse,
        years,
        progress=progress.wanted(),
        reports_dir=args.reports_dir,
        reports=args.reports,
        expectations=args.expectations,
        documents_dir=args.documents_dir,
    )
    for outcome in outcomes:
        print(outcome.line())
    failed = [o for o in outcomes if not o.ok]
    print(say("cli.run.warehouse", path=args.warehouse))
    if failed:
        years_failed = say("cli.list_sep").join(str(o.year) for o in failed)
        return fail(
            say("cli.run.failed", failed=len(failed), total=len(outcomes), years=years_failed)
        )
    return 0
