"""``jixiao explain``: how a department's score was derived, line by line."""

from __future__ import annotations

import argparse

from pipelines.cli.common import add_paths, command, fail
from pipelines.messages import say


def add_parser(sub) -> None:
    p = command(sub, "explain", "explain", epilog=say("cli.explain.epilog"))
    p.add_argument(
        "--year",
        type=int,
        required=True,
        metavar=say("cli.metavar.year"),
        help=say("cli.explain.year"),
    )
    p.add_argument(
        "--dept", required=True, metavar=say("cli.metavar.dept"), help=say("cli.explain.dept")
    )
    p.add_argument("--line", metavar=say("cli.metavar.line"), help=say("cli.explain.only_line"))
    add_paths(p)
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from pipelines.warehouse.explain import NotScored, explain
    from pipelines.warehouse.write import connect

    if not args.warehouse.exists():
        return fail(say("cli.explain.no_warehouse", path=args.warehouse))
    with connect(args.warehouse, read_only=True) as con:
        try:
            print(explain(con, args.year, args.dept, args.line))
        except NotScored as exc:
            return fail(str(exc))
    return 0
