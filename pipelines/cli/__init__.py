"""``jixiao``: the command line. One module per command; this one builds the parser.

jixiao run [--raw-dir DIR] [--warehouse FILE] [--year YEAR …]
jixiao rubric check FILE …
jixiao rubric diff A B
jixiao explain --year YEAR --dept CODE [--line LINE]
jixiao whatif --year YEAR --rubric RUBRIC [--set KEY=VALUE …] [--scenario NAME]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipelines import settings
from pipelines.cli import explain, rubric, run, whatif


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="jixiao",
        description="Score departments' annual expenditure performance (部门整体支出绩效评价).",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in (run, rubric, explain, whatif):
        module.add_parser(sub)
    args = parser.parse_args(argv)
    return args.handler(args)


def add_paths(parser: argparse.ArgumentParser, raw: bool = False) -> None:
    """The options every command that touches data shares."""
    if raw:
        parser.add_argument(
            "--raw-dir",
            type=Path,
            default=settings.RAW_DIR,
            metavar="DIR",
            help="folder of <year>/ extract folders (default: %(default)s)",
        )
    parser.add_argument(
        "--warehouse",
        type=Path,
        default=settings.WAREHOUSE_FILE,
        metavar="FILE",
        help="DuckDB warehouse file (default: %(default)s)",
    )
    add_rubrics_dir(parser)


def add_rubrics_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--rubrics-dir",
        type=Path,
        default=settings.RUBRICS_DIR,
        metavar="DIR",
        help="folder of <jurisdiction>/<year>.yaml rubrics (default: %(default)s)",
    )


def fail(message: str, code: int = 1) -> int:
    print(f"jixiao: {message}", file=sys.stderr)
    return code
