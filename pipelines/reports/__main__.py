"""python -m pipelines.reports: write one year's reports from a warehouse file."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

from pipelines.reports.build import FORMATS, ReportError, build_reports
from pipelines.reports.pdf import INSTALL_HINT


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m pipelines.reports",
        description=(
            "Write one year's performance-evaluation reports (in Chinese):\n"
            "  OUT/<year>/<jurisdiction>/departments/<dept_code>.{html,xlsx,md}  per department\n"
            "  OUT/<year>/<jurisdiction>/summary.{html,xlsx}                     city-wide\n"
            "Each states its rubric id, rubric hash and run id. The warehouse is opened\n"
            "read-only; the same warehouse always gives the same bytes."
        ),
        epilog=(
            "examples:\n"
            "  python -m pipelines.reports --warehouse warehouse/jixiao.duckdb --year 2023 "
            "--out reports\n"
            "  python -m pipelines.reports --warehouse w.duckdb --year 2023 --out reports "
            "--dept BJ-FAO --pdf\n\n"
            f"PDF needs Chromium and a CJK font ({INSTALL_HINT}); without them it is skipped."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--warehouse", required=True, type=Path, help="DuckDB file (opened read-only)")
    p.add_argument("--year", required=True, type=int, help="fiscal year to report, e.g. 2023")
    p.add_argument("--out", required=True, type=Path, help="output folder")
    p.add_argument(
        "--dept",
        action="extend",
        nargs="+",
        metavar="CODE",
        help="only these departments (dept_code); default: every scored department",
    )
    p.add_argument(
        "--format",
        dest="formats",
        action="extend",
        nargs="+",
        choices=FORMATS,
        help="formats to write (default: all of html xlsx md)",
    )
    p.add_argument("--pdf", action="store_true", help="also print each HTML page to PDF")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if not args.warehouse.exists():
        print(f"no warehouse file at {args.warehouse}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    try:
        written = build_reports(
            args.warehouse, args.year, args.out, args.formats or FORMATS, args.pdf, args.dept
        )
    except ReportError as error:
        print(error, file=sys.stderr)
        return 2
    elapsed = time.perf_counter() - started
    print(f"{len(written)} file(s) under {args.out} in {elapsed:.1f} s")
    for path in written:
        if path.name.startswith("summary."):
            print(f"  {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
