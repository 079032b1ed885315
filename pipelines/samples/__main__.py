"""``python -m pipelines.samples``: write synthetic raw extracts shaped by the rubrics."""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

from pipelines import messages
from pipelines.cli.common import (
    Formatter,
    Parser,
    add_lang,
    add_rubrics_dir,
    chosen_language,
    fail,
    language,
)
from pipelines.messages import say
from pipelines.rubric import RubricError
from pipelines.rubric.library import RubricLibrary
from pipelines.samples.generate import generate
from pipelines.samples.output import FORMATS


def _parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="python -m pipelines.samples",
        description=say("samples.cli.description"),
        epilog=say("samples.cli.epilog"),
        formatter_class=Formatter,
    )
    add_lang(parser, default=messages.DEFAULT)
    parser.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar=say("cli.metavar.dir"),
        help=say("samples.cli.out"),
    )
    parser.add_argument(
        "--years",
        type=int,
        nargs="+",
        default=[2022, 2023, 2024],
        metavar=say("cli.metavar.year"),
        help=say("samples.cli.years"),
    )
    parser.add_argument(
        "--departments",
        type=int,
        default=40,
        metavar="N",
        help=say("samples.cli.departments"),
    )
    parser.add_argument("--lines", type=int, metavar="N", help=say("samples.cli.lines"))
    parser.add_argument("--seed", type=int, default=2023, help=say("samples.cli.seed"))
    add_rubrics_dir(parser)
    parser.add_argument("--jurisdiction", default="beijing", help=say("samples.cli.jurisdiction"))
    parser.add_argument(
        "--format",
        dest="fmt",
        choices=FORMATS,
        default="csv",
        help=say("samples.cli.format"),
    )
    parser.add_argument(
        "--no-seed-department",
        dest="seed_department",
        action="store_false",
        help=say("samples.cli.no_seed_department"),
    )
    parser.add_argument(
        "--realism",
        action="store_true",
        help=say("samples.cli.realism"),
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else [str(a) for a in argv]
    lang, _ = chosen_language(argv)
    with language(lang):
        return _main(argv)


def _main(argv: list[str]) -> int:
    parser = _parser()
    args = parser.parse_args(argv)

    library = RubricLibrary(args.rubrics_dir)
    try:
        summary = generate(
            args.out,
            args.years,
            args.departments,
            lambda year: library.get(args.jurisdiction, year).rubric,
            seed=args.seed,
            include_seed_department=args.seed_department,
            fmt=args.fmt,
            lines=args.lines,
            command="python -m pipelines.samples " + shlex.join(argv),
            realism=args.realism,
        )
    except RubricError as exc:
        return fail(exc)
    except ValueError as exc:
        parser.error(str(exc))
    for year in summary["years"]:
        files = say("cli.list_sep").join(summary["files"][year])
        n = len(summary["departments"][year])
        print(say("samples.cli.wrote_year", folder=args.out / str(year), n=n, files=files))
    print(f"{args.out / 'README.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
