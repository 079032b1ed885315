"""What the commands share: the language, argparse in that language, the data options.

The language is known before the parser is built (argparse writes help as it builds):
``--lang`` anywhere before ``--`` in the arguments, else ``JIXIAO_LANG``, else Chinese.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import textwrap
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from pipelines import messages, settings
from pipelines.messages import Message, say


def chosen_language(argv: Sequence[str]) -> tuple[str, str | None]:
    """The language of the command, and the unusable value of ``JIXIAO_LANG`` if any.

    An unknown ``--lang`` value is left to argparse to refuse (in the other language)."""
    known = messages.languages()
    given = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            given = argv[i + 1]
        elif arg.startswith("--lang="):
            given = arg.removeprefix("--lang=")
    env = os.environ.get(messages.ENV)
    bad_env = env if env and env not in known else None
    if given in known:
        return given, None
    return (env if env in known else messages.DEFAULT), bad_env


def add_lang(parser: argparse.ArgumentParser, default: str | None = None) -> None:
    """``--lang``: on jixiao with its default, on each command without one (so that
    ``jixiao run --lang en`` works as ``jixiao --lang en run`` does)."""
    known = messages.languages()
    parser.add_argument(
        "--lang",
        choices=known,
        default=default if default is not None else argparse.SUPPRESS,
        metavar=say("cli.metavar.lang"),
        help=say(
            "cli.main.lang", choices=say("cli.list_sep").join(known), default=messages.DEFAULT
        ),
    )


# argparse's own sentences (English, as argparse words them) → their catalog key
_ARGPARSE = {
    "usage: ": "usage",
    "positional arguments": "positionals",
    "options": "options",
    "show this help message and exit": "help",
    "%(prog)s: error: %(message)s\n": "error",
    "the following arguments are required: %s": "required",
    "unrecognized arguments: %s": "unrecognized",
    "invalid choice: %(value)r (choose from %(choices)s)": "invalid_choice",
    "argument %(argument_name)s: %(message)s": "argument",
    "invalid %(type)s value: %(value)r": "invalid_value",
    "expected one argument": "expected_one",
    "expected at least one argument": "expected_at_least_one",
    "expected at most one argument": "expected_at_most_one",
    "ambiguous option: %(option)s could match %(matches)s": "ambiguous",
    "one of the arguments %s is required": "one_required",
    "not allowed with argument %s": "not_allowed_with",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "unknown_parser",
}
_PLACEHOLDER = re.compile(r"%\((\w+)\)[sr]|%s")


def _pattern(english: str) -> re.Pattern:
    """A regex that reads argparse's English sentence back into its values."""
    out, pos, n = [], 0, 0
    for m in _PLACEHOLDER.finditer(english):
        out.append(re.escape(english[pos : m.start()]))
        out.append(f"(?P<{m.group(1) or f'_{n}'}>.*?)")
        n, pos = n + 1, m.end()
    out.append(re.escape(english[pos:]))
    return re.compile("".join(out), re.S)


_SENTENCES = [
    (_pattern(english), key)
    for english, key in _ARGPARSE.items()
    if key not in ("usage", "positionals", "options", "help", "error")
]


def argparse_sentence(message: str) -> str:
    """argparse's English ``message`` in the current language, from ``cli.argparse.*``
    (a sentence argparse words in another way is left as it is)."""
    for pattern, key in _SENTENCES:
        found = pattern.fullmatch(message)
        if found is None:
            continue
        values = found.groupdict()
        if "message" in values:  # argument X: <a sentence of its own>
            values["message"] = argparse_sentence(values["message"])
        template = say(f"cli.argparse.{key}").replace("%(value)r", "%(value)s")
        template = template.replace("%(parser_name)r", "%(parser_name)s")
        if "%s" in template:
            return template % values["_0"]
        return template % values if values else template
    return message


class Parser(argparse.ArgumentParser):
    """argparse in the current language: its help option, headings and errors from the
    catalog (the help layout is ``Formatter``'s). Subcommands are made of this class too."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", Formatter)
        add_help = kwargs.pop("add_help", True)
        super().__init__(*args, add_help=False, **kwargs)
        if add_help:
            self.add_argument(
                "-h", "--help", action="help", default=argparse.SUPPRESS,
                help=say("cli.argparse.help"),
            )  # fmt: skip

    def error(self, message: str):
        self.print_usage(sys.stderr)
        text = say("cli.argparse.error") % {
            "prog": self.prog,
            "message": argparse_sentence(message),
        }
        self.exit(2, text)


@contextmanager
def language(lang: str) -> Iterator[None]:
    """``lang`` for everything the command says, also where the context does not reach
    (``JIXIAO_LANG`` for the command's duration, as if the user had set it)."""
    before = os.environ.get(messages.ENV)
    os.environ[messages.ENV] = lang
    try:
        with messages.use(lang):
            yield
    finally:
        if before is None:
            os.environ.pop(messages.ENV, None)
        else:
            os.environ[messages.ENV] = before


def width(text: str) -> int:
    """Terminal columns of ``text``: a Chinese character (and full-width punctuation) two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


# a line does not start with closing punctuation (it stays with the text before it)
_CLOSING = set("，。、；：！？）」』》】’”")
_TOKEN = re.compile(r"\s+|[^\s\u2e80-\uffef]+|.", re.S)


def wrap(text: str, columns: int) -> list[str]:
    """``text`` in lines of at most ``columns`` terminal columns; Latin words (option
    names, identifiers) are never split, Chinese breaks between characters."""
    text = re.sub(r"\s+", " ", text).strip()
    if width(text) == len(text):
        return textwrap.wrap(text, columns)
    lines, line = [], ""
    for token in _TOKEN.findall(text):
        if line and width(line + token) > columns and token[0] not in _CLOSING:
            lines.append(line.rstrip())
            line = "" if token.isspace() else token
        else:
            line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines


class Formatter(argparse.HelpFormatter):
    """Help laid out in terminal columns (Chinese takes two per character), headings in
    the catalog's punctuation; a text with line breaks of its own (the examples of an
    epilog) is printed as written."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if "\n" in text:
            return "".join(indent + line for line in text.splitlines(keepends=True))
        return "\n".join(indent + line for line in wrap(text, width - len(indent)))

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap(text, width)

    def add_usage(self, usage, actions, groups, prefix=None) -> None:
        super().add_usage(
            usage, actions, groups, say("cli.argparse.usage") if prefix is None else prefix
        )

    def start_section(self, heading: str | None) -> None:
        key = _ARGPARSE.get(heading or "")
        heading = say(f"cli.argparse.{key}") if key else heading
        self._headings = [*getattr(self, "_headings", []), heading]
        super().start_section(heading)

    def format_help(self) -> str:
        text = super().format_help()
        for heading in filter(None, getattr(self, "_headings", [])):
            colon = say("cli.argparse.heading", heading=heading)
            text = re.sub(rf"(?m)^( *){re.escape(heading)}:$", rf"\g<1>{colon}", text)
        return text

    def add_argument(self, action: argparse.Action) -> None:
        super().add_argument(action)
        if action.help is not argparse.SUPPRESS:  # argparse measures in characters
            columns = width(self._format_action_invocation(action)) + self._current_indent
            self._action_max_length = max(self._action_max_length, columns)

    def _format_action(self, action: argparse.Action) -> str:
        """argparse pads an option to the help column by characters: take out the
        columns its Chinese characters take beyond one each."""
        text = super()._format_action(action)
        header = self._format_action_invocation(action)
        extra = width(header) - len(header)
        first, newline, rest = text.partition("\n")
        end = first.find(header) + len(header)
        if not extra or end < len(header) or not first[end:].strip():
            return text
        pad = len(first[end:]) - len(first[end:].lstrip(" "))
        if pad - extra >= 2:
            first = first[:end] + " " * (pad - extra) + first[end + pad :]
        else:  # no room left on the line: the help goes below, at its column
            first = first[:end] + "\n" + " " * (end + pad) + first[end + pad :]
        return first + newline + rest


def add_paths(parser: argparse.ArgumentParser, raw: bool = False) -> None:
    """The options every command that touches data shares."""
    if raw:
        parser.add_argument(
            "--raw-dir",
            type=Path,
            default=settings.RAW_DIR,
            metavar=say("cli.metavar.dir"),
            help=say("cli.paths.raw_dir"),
        )
    parser.add_argument(
        "--warehouse",
        type=Path,
        default=settings.WAREHOUSE_FILE,
        metavar=say("cli.metavar.file"),
        help=say("cli.paths.warehouse"),
    )
    add_rubrics_dir(parser)


def add_rubrics_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--rubrics-dir",
        type=Path,
        default=settings.RUBRICS_DIR,
        metavar=say("cli.metavar.dir"),
        help=say("cli.paths.rubrics_dir"),
    )


def command(sub, name: str, key: str, **kwargs) -> argparse.ArgumentParser:
    """A command's parser: help and description from ``cli.<key>.*``, with ``--lang``."""
    parser = sub.add_parser(
        name,
        help=say(f"cli.{key}.help"),
        description=say(f"cli.{key}.description"),
        formatter_class=Formatter,
        **kwargs,
    )
    add_lang(parser)
    return parser


def fail(message: str | Message, code: int = 1) -> int:
    print(say("cli.fail", message=message), file=sys.stderr)
    return code
