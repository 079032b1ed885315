"""``jixiao intake report``: a published self-evaluation report into ``self_reported``.

The reading itself is ``pipelines.intake``; this module is the command: its options,
and what it prints (every figure with its sentence, what could not be read).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from pipelines import settings
from pipelines.cli.common import Formatter, add_lang, fail
from pipelines.messages import Message, say


def add_parser(sub) -> None:
    p = sub.add_parser("intake", help=say("intake.cli.help"), formatter_class=Formatter)
    add_lang(p)
    isub = p.add_subparsers(
        dest="intake_command", required=True, metavar=say("cli.metavar.command")
    )
    report = isub.add_parser(
        "report",
        help=say("intake.cli.report.help"),
        description=say("intake.cli.report.description"),
        epilog=say("intake.cli.report.epilog"),
        formatter_class=Formatter,
    )
    add_lang(report)
    report.add_argument(
        "file", type=Path, metavar=say("cli.metavar.file"), help=say("intake.cli.report.file")
    )
    report.add_argument(
        "--year",
        type=int,
        required=True,
        metavar=say("cli.metavar.year"),
        help=say("intake.cli.report.year"),
    )
    report.add_argument(
        "--dept", required=True, metavar=say("cli.metavar.dept"), help=say("intake.cli.report.dept")
    )
    report.add_argument(
        "--raw-dir",
        type=Path,
        default=settings.RAW_DIR,
        metavar=say("cli.metavar.dir"),
        help=say("intake.cli.report.raw_dir"),
    )
    report.add_argument(
        "--rubrics-dir",
        type=Path,
        default=settings.RUBRICS_DIR,
        metavar=say("cli.metavar.dir"),
        help=say("cli.paths.rubrics_dir"),
    )
    report.add_argument("--dry-run", action="store_true", help=say("intake.cli.report.dry_run"))
    report.set_defaults(handler=handle_report)


def handle_report(args: argparse.Namespace) -> int:
    from pipelines.intake import IntakeError, intake_report

    try:
        done = intake_report(
            args.file, args.year, args.dept, args.raw_dir, args.rubrics_dir, args.dry_run
        )
    except IntakeError as exc:
        return fail(exc.reason)
    for line in lines(done):
        print(line)
    return 0


def what(done, target) -> Message:
    """The figure a target is, as a phrase: 三级指标 资金总体（budget_execution）得分."""
    names = done.department.names
    name = {"section": names.sections, "line": names.lines}.get(target.kind, {})
    return Message(f"intake.what.{target.kind}", code=target.key, name=name.get(target.key, ""))


def lines(done) -> list[str]:
    """What ``jixiao intake report`` prints: the outcome, each figure written with its
    sentence, then what was not one number, what disagreed, and what was not found."""
    w = done.written
    out = [
        say(
            "intake.dry_run" if done.dry_run else "intake.done",
            dept=done.department.code,
            year=done.year,
            file=done.document,
            figures=sum(1 for f in done.figures.values() if f.chosen),
            target=w.path,
            rows=w.rows,
            replaced=w.replaced,
        )
    ]
    for target, figure in done.figures.items():
        if figure.chosen is not None:
            out.append(say("intake.figure", what=what(done, target), value=shown(figure.chosen)))
            out.append(say("intake.quote", quote=figure.chosen.quote))
    for target, figure in done.figures.items():
        for m in figure.unreadable:
            out.append(
                say("intake.unreadable", what=what(done, target), printed=m.printed, quote=m.quote)
            )
        for m in figure.conflicting:
            chosen = shown(figure.chosen)
            out.append(
                say(
                    "intake.conflict",
                    what=what(done, target),
                    chosen=chosen,
                    printed=m.printed,
                    quote=m.quote,
                )
            )
    for u in done.unwritten:
        value = shown(u.figure.chosen)
        out.append(
            say(f"intake.unwritten.{u.reason}", what=what(done, u.figure.target), value=value)
        )
    missing = done.missing()
    if missing:
        sep = say("cli.list_sep")
        out.append(say("intake.missing", what=sep.join(str(what(done, t)) for t in missing)))
    return out


def shown(m) -> str:
    """A figure as written: a score or a grade as the row holds it, a rate as printed,
    an amount in 万元."""
    if m.target.kind == "amount":
        return say("intake.amount", value=format(m.value, "f"))
    if m.target.kind == "rate":
        return m.printed
    return str(m.value) if m.target.kind == "grade" else format(m.value, "f")
