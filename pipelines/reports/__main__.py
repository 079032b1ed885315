"""python -m pipelines.reports: write one year's reports from a warehouse file.

Help, messages and reports in the current language (Chinese unless ``--lang en`` or
``JIXIAO_LANG=en``); the wording is the catalog's ``report.cli.*``."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path

from pipelines import settings
from pipelines.messages import DEFAULT, current, languages, say, use
from pipelines.reports.build import CHUNK_SIZE, FORMATS, ReportError, build_reports
from pipelines.reports.pdf import INSTALL_HINT


class _Formatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(
            usage, actions, groups, say("report.cli.usage") if prefix is None else prefix
        )


def _lang(argv: list[str] | None) -> str:
    """The language asked for with --lang (before parsing: the help is in it)."""
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--lang", choices=languages())
    known, _ = early.parse_known_args(argv)
    return known.lang or current()


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m pipelines.reports",
        description=say("report.cli.description"),
        epilog=say("report.cli.epilog", hint=INSTALL_HINT),
        formatter_class=_Formatter,
        add_help=False,
    )
    opts = p.add_argument_group(say("report.cli.options"))
    opts.add_argument("-h", "--help", action="help", help=say("report.cli.help"))
    for flag, kind in (("--warehouse", Path), ("--year", int), ("--out", Path)):
        name = flag.removeprefix("--")
        opts.add_argument(
            flag,
            required=True,
            type=kind,
            metavar=say(f"report.cli.metavar.{name}"),
            help=say(f"report.cli.{name}"),
        )
    opts.add_argument(
        "--rubrics-dir",
        type=Path,
        default=settings.RUBRICS_DIR,
        metavar=say("report.cli.metavar.rubrics"),
        help=say("report.cli.rubrics_dir", default=settings.RUBRICS_DIR),
    )
    opts.add_argument(
        "--dept",
        action="extend",
        nargs="+",
        metavar=say("report.cli.metavar.dept"),
        help=say("report.cli.dept"),
    )
    opts.add_argument(
        "--format",
        dest="formats",
        action="extend",
        nargs="+",
        choices=FORMATS,
        help=say("report.cli.formats", formats=" ".join(FORMATS)),
    )
    opts.add_argument("--pdf", action="store_true", help=say("report.cli.pdf"))
    opts.add_argument(
        "--summary-only",
        dest="departments",
        action="store_false",
        help=say("report.cli.summary_only"),
    )
    opts.add_argument(
        "--workers",
        type=int,
        metavar=say("report.cli.metavar.workers"),
        help=say("report.cli.workers", cpus=os.cpu_count() or 1, chunk=CHUNK_SIZE),
    )
    opts.add_argument(
        "--lang",
        choices=languages(),
        metavar=say("report.cli.metavar.lang"),
        help=say("report.cli.lang", choices=", ".join(languages()), default=DEFAULT),
    )
    return p


def main(argv: list[str] | None = None) -> int:
    with use(_lang(argv)):
        return _main(argv)


def _main(argv: list[str] | None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if not args.warehouse.exists():
        print(say("report.cli.no_warehouse", path=args.warehouse), file=sys.stderr)
        return 2
    started = time.perf_counter()
    try:
        written = build_reports(
            args.warehouse,
            args.year,
            args.out,
            args.formats or FORMATS,
            args.pdf,
            args.dept,
            departments=args.departments,
            workers=args.workers,
            rubrics_dir=args.rubrics_dir,
        )
    except ReportError as error:
        print(error, file=sys.stderr)
        return 2
    elapsed = time.perf_counter() - started
    print(say("report.cli.done", n=len(written), out=args.out, seconds=f"{elapsed:.1f}"))
    for path in written:
        if path.name.startswith("summary."):
            print(f"  {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
