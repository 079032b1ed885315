"""A rule file that cannot be used: one (key path, message) per problem.

A path or message is a ``Message`` (a catalog key: ``rubric.*``, or ``draft.*`` for a
draft rule's own checks) or plain text, rendered when it is read, in the reader's
language: a problem travels whole (pickled to a Dagster run, say) and is never stored as
a sentence.
"""

from __future__ import annotations

from pathlib import Path

from pipelines.messages import Message

Text = str | Message  # a problem's key path or message: catalog message or plain text


class RubricError(Exception):
    """A rule file (a rubric, draft rules…) that cannot be used.

    ``problems`` and ``str()`` render its problems in the current language,
    ``lines(lang)`` in any: ``FILE: key.path: message``.
    """

    def __init__(self, file: Path | str, problems: list[tuple[Text, Text]]):
        super().__init__(str(file), list(problems))
        self.file = str(file)
        self.issues = list(problems)

    def rendered(self, lang: str | None = None) -> list[tuple[str, str]]:
        return [(_text(path, lang), _text(msg, lang)) for path, msg in self.issues]

    @property
    def problems(self) -> list[tuple[str, str]]:
        """(key path, message) per problem, in the current language."""
        return self.rendered()

    def lines(self, lang: str | None = None) -> list[str]:
        return [
            f"{self.file}: {path}: {msg}" if path else f"{self.file}: {msg}"
            for path, msg in self.rendered(lang)
        ]

    def __str__(self) -> str:
        return "\n".join(self.lines())


class RubricMissing(RubricError):
    """No rubric file for a jurisdiction and year."""


def _text(value: Text, lang: str | None) -> str:
    return value.text(lang) if isinstance(value, Message) else str(value)


def _say(key: str, /, **params: object) -> Message:
    return Message(f"rubric.{key}", **params)


class Invalid(ValueError):
    """A validator's complaint as a catalog key (``<AREA>.<key>``) and parameters, for
    ``pipelines.rubric.problems`` to name with the key path pydantic gives it."""

    AREA = "rubric.model"

    def __init__(self, key: str, /, **params: object) -> None:
        super().__init__(key)
        self.message = Message(f"{self.AREA}.{key}", **params)

    def __str__(self) -> str:
        return str(self.message)
