"""``jixiao rubric check|diff``: validate rubric files; say what changed between two."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipelines import settings
from pipelines.cli.common import Formatter, add_lang
from pipelines.messages import say


def add_parser(sub) -> None:
    p = sub.add_parser("rubric", help=say("cli.rubric.help"), formatter_class=Formatter)
    add_lang(p)
    rsub = p.add_subparsers(
        dest="rubric_command", required=True, metavar=say("cli.metavar.command")
    )
    check = rsub.add_parser(
        "check",
        help=say("cli.rubric.check_help"),
        description=say("cli.rubric.check_description"),
        formatter_class=Formatter,
    )
    add_lang(check)
    check.add_argument(
        "files", nargs="+", type=Path, metavar=say("cli.metavar.file"), help=say("cli.rubric.files")
    )
    check.add_argument(
        "--rubrics-dir",
        type=Path,
        default=None,
        metavar=say("cli.metavar.dir"),
        help=say("cli.rubric.check_rubrics_dir"),
    )
    check.set_defaults(handler=handle_check)
    diff = rsub.add_parser(
        "diff",
        help=say("cli.rubric.diff_help"),
        description=say("cli.rubric.diff_description"),
        epilog=say("cli.rubric.diff_epilog"),
        formatter_class=Formatter,
    )
    add_lang(diff)
    diff.add_argument("a", metavar=say("cli.metavar.old"), help=say("cli.rubric.old"))
    diff.add_argument("b", metavar=say("cli.metavar.new"), help=say("cli.rubric.new"))
    diff.add_argument(
        "--rubrics-dir",
        type=Path,
        default=settings.RUBRICS_DIR,
        metavar=say("cli.metavar.dir"),
        help=say("cli.rubric.diff_rubrics_dir"),
    )
    diff.set_defaults(handler=handle_diff)


def handle_check(args: argparse.Namespace) -> int:
    from pipelines.rubric import RubricError, load_rubric

    failed = 0
    for path in args.files:
        try:
            rubric = load_rubric(path, args.rubrics_dir)
            lines = len(list(rubric.fixed_lines()))
            print(say("cli.rubric.ok", path=path, rubric=rubric.id, lines=lines))
        except RubricError as exc:
            failed += 1
            print(exc, file=sys.stderr)
    return 1 if failed else 0


def handle_diff(args: argparse.Namespace) -> int:
    from pipelines.rubric import RubricError
    from pipelines.rubric.diff import diff
    from pipelines.rubric.load import load_variant

    try:
        a = load_variant(args.a, args.rubrics_dir)
        b = load_variant(args.b, args.rubrics_dir)
    except RubricError as exc:
        print(exc, file=sys.stderr)
        return 1
    changes = diff(a, b)
    print(say("cli.rubric.changes", a=a.id, b=b.id, n=len(changes)))
    for line in changes:
        print(f"  {line}")
    return 0
