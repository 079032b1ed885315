"""``jixiao``: the command line. One module per command; this one builds the parser.

jixiao [--lang zh|en] run [--raw-dir DIR] [--warehouse FILE] [--year YEAR …]
jixiao rubric check FILE …
jixiao rubric diff A B
jixiao explain --year YEAR --dept CODE [--line LINE]
jixiao whatif --year YEAR --rubric RUBRIC [--set KEY=VALUE …] [--scenario NAME]

Everything it says (help, results, errors) comes from the message catalog
(``pipelines/messages/<lang>/cli.yaml``): Chinese by default, English with
``--lang en`` or ``JIXIAO_LANG=en``.
"""

from __future__ import annotations

import argparse
import sys

from pipelines import messages
from pipelines.cli import explain, intake, rubric, run, whatif
from pipelines.cli.common import (
    Formatter,
    Parser,
    add_lang,
    add_paths,
    add_rubrics_dir,
    chosen_language,
    fail,
    language,
)
from pipelines.messages import say

__all__ = ["add_paths", "add_rubrics_dir", "fail", "main", "parser"]


def parser(lang: str) -> argparse.ArgumentParser:
    """The parser, its help in the current language (``lang``: ``--lang``'s default)."""
    top = Parser(
        prog="jixiao",
        description=say("cli.main.description"),
        epilog=say("cli.main.epilog"),
        formatter_class=Formatter,
    )
    add_lang(top, default=lang)
    sub = top.add_subparsers(dest="command", required=True, metavar=say("cli.metavar.command"))
    for module in (run, rubric, explain, whatif, intake):
        module.add_parser(sub)
    return top


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else [str(a) for a in argv]
    lang, bad_env = chosen_language(argv)
    with language(lang):
        if bad_env is not None:
            choices = say("cli.list_sep").join(messages.languages())
            return fail(say("cli.main.bad_env", value=bad_env, choices=choices), 2)
        args = parser(lang).parse_args(argv)
        return args.handler(args)
