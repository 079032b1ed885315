"""``jixiao intake report``: a published self-evaluation report into ``self_reported``;
``jixiao intake scoresheet``: a filled-in 评分表 (xlsx) into ``indicators``, ``checklist``
and ``self_reported``.

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
    _document_command(isub, "report", handle_report)
    _document_command(isub, "scoresheet", handle_scoresheet)


def _document_command(isub, name: str, handler) -> None:
    """``jixiao intake <name> FILE --year --dept``: both read one department's document;
    their words are ``intake.cli.<name>.*``."""
    key = f"intake.cli.{name}"
    cmd = isub.add_parser(
        name,
        help=say(f"{key}.help"),
        description=say(f"{key}.description"),
        epilog=say(f"{key}.epilog"),
        formatter_class=Formatter,
    )
    add_lang(cmd)
    cmd.add_argument("file", type=Path, metavar=say("cli.metavar.file"), help=say(f"{key}.file"))
    cmd.add_argument(
        "--year", type=int, required=True, metavar=say("cli.metavar.year"), help=say(f"{key}.year")
    )
    cmd.add_argument(
        "--dept", required=True, metavar=say("cli.metavar.dept"), help=say(f"{key}.dept")
    )
    for flag, default, help_key in (
        ("--raw-dir", settings.RAW_DIR, f"{key}.raw_dir"),
        ("--rubrics-dir", settings.RUBRICS_DIR, "cli.paths.rubrics_dir"),
    ):
        cmd.add_argument(
            flag, type=Path, default=default, metavar=say("cli.metavar.dir"), help=say(help_key)
        )
    cmd.add_argument("--dry-run", action="store_true", help=say(f"{key}.dry_run"))
    cmd.set_defaults(handler=handler)


def handle_scoresheet(args: argparse.Namespace) -> int:
    from pipelines.intake import IntakeError
    from pipelines.intake.scoresheet import intake_scoresheet

    try:
        done = intake_scoresheet(
            args.file, args.year, args.dept, args.raw_dir, args.rubrics_dir, args.dry_run
        )
    except IntakeError as exc:
        return fail(exc.reason)
    key = "intake.scoresheet.dry_run" if done.dry_run else "intake.scoresheet.done"
    print(say(key, dept=done.dept, year=done.year, file=done.file, sheet=done.sheet))
    line = "intake.scoresheet.would_write" if done.dry_run else "intake.scoresheet.written"
    for w in done.written.values():
        print(say(line, target=w.path, rows=w.rows, replaced=w.replaced))
    return 0


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
