"""``jixiao explain``: how a department's score was derived, line by line."""

from __future__ import annotations

import argparse


def add_parser(sub) -> None:
    from pipelines.cli import add_paths

    p = sub.add_parser(
        "explain",
        help="the derivation of a department's score",
        description="Print the total as the sum of its sections, the grade band, and every "
        "line (or one) with its inputs, parameters, references and findings.",
        epilog="example:\n  jixiao explain --year 2023 --dept BJ-FAO --line carryover_rate",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--dept", required=True, metavar="CODE")
    p.add_argument("--line", metavar="LINE_CODE")
    add_paths(p)
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from pipelines.cli import fail
    from pipelines.warehouse.explain import NotScored, explain
    from pipelines.warehouse.write import connect

    if not args.warehouse.exists():
        return fail(f"no warehouse at {args.warehouse}: run `jixiao run` first")
    with connect(args.warehouse, read_only=True) as con:
        try:
            print(explain(con, args.year, args.dept, args.line))
        except NotScored as exc:
            return fail(str(exc))
    return 0
