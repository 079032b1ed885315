"""``jixiao whatif``: a year scored under another rubric, beside the official scores.

The scenario itself is ``pipelines.whatif`` (the Dagster ``whatif`` job runs the same).
"""

from __future__ import annotations

import argparse
import uuid

from pipelines.cli.common import add_paths, command, fail
from pipelines.messages import say


def add_parser(sub) -> None:
    p = command(sub, "whatif", "whatif", epilog=say("cli.whatif.epilog"))
    p.add_argument(
        "--year",
        type=int,
        required=True,
        metavar=say("cli.metavar.year"),
        help=say("cli.whatif.year"),
    )
    p.add_argument(
        "--rubric",
        required=True,
        metavar=say("cli.metavar.rubric"),
        help=say("cli.whatif.rubric"),
    )
    p.add_argument(
        "--set",
        action="append",
        default=[],
        dest="sets",
        metavar=say("cli.metavar.set"),
        help=say("cli.whatif.set"),
    )
    p.add_argument("--scenario", metavar=say("cli.metavar.name"), help=say("cli.whatif.scenario"))
    add_paths(p)
    p.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from pipelines import whatif
    from pipelines.rubric import RubricError
    from pipelines.warehouse.lock import writer_lock
    from pipelines.warehouse.publish import ensure_working, publish, working_path
    from pipelines.warehouse.scenario import NoOfficialScores
    from pipelines.warehouse.write import connect

    try:
        used = whatif.variant(args.rubric, args.rubrics_dir, args.sets)
    except RubricError as exc:
        return fail(str(exc))
    with connect(ensure_working(args.warehouse)) as con:
        try:
            done = whatif.run(
                con, args.year, used, uuid.uuid4().hex, args.sets, args.scenario, ref=args.rubric
            )
        except NoOfficialScores as exc:
            return fail(str(exc))
    with writer_lock(working_path(args.warehouse)):
        publish(args.warehouse)
    print(done.heading())
    print(whatif.table(done.changes))
    return 0
