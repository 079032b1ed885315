"""``jixiao rubric check|diff``: validate rubric files; say what changed between two."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipelines import settings


def add_parser(sub) -> None:
    p = sub.add_parser("rubric", help="check rubric files, or compare two")
    rsub = p.add_subparsers(dest="rubric_command", required=True, metavar="COMMAND")
    check = rsub.add_parser(
        "check",
        help="validate rubric files without running anything",
        description="Validate rubric files. Every problem is printed as FILE: KEY.PATH: message, "
        "and the exit status is 1 if any file has one.",
    )
    check.add_argument("files", nargs="+", type=Path, metavar="FILE")
    check.add_argument(
        "--rubrics-dir",
        type=Path,
        default=None,
        metavar="DIR",
        help="where `extends` looks (default: two folders above each file)",
    )
    check.set_defaults(handler=handle_check)
    diff = rsub.add_parser(
        "diff",
        help="what changed between two rubrics, in words",
        description="Compare two rubrics, each a file or an id such as beijing/2023: lines, "
        "groups and sections added or removed, and every changed weight or parameter.",
        epilog="example:\n  jixiao rubric diff beijing/2023 beijing/2024",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    diff.add_argument("a", metavar="A")
    diff.add_argument("b", metavar="B")
    diff.add_argument("--rubrics-dir", type=Path, default=settings.RUBRICS_DIR, metavar="DIR")
    diff.set_defaults(handler=handle_diff)


def handle_check(args: argparse.Namespace) -> int:
    from pipelines.rubric import RubricError, load_rubric

    failed = 0
    for path in args.files:
        try:
            rubric = load_rubric(path, args.rubrics_dir)
            print(f"{path}: ok ({rubric.id}, {len(list(rubric.fixed_lines()))} fixed lines)")
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
    print(f"{a.id} → {b.id}: {len(changes)} change(s)")
    for line in changes:
        print(f"  {line}")
    return 0
