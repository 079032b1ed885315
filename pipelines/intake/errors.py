"""Why a document, or the data it would go into, is refused: a sentence of the catalog."""

from __future__ import annotations

from pipelines.messages import Message, say


class IntakeError(Exception):
    """Nothing is written. ``reason`` is the sentence (``intake.error.<code>``), naming
    the file."""

    def __init__(self, code: str, /, **params: object) -> None:
        self.reason = Message(f"intake.error.{code}", **params)
        super().__init__(code)

    def __str__(self) -> str:
        return str(self.reason)


class Listing(Message):
    """Items as one parameter, joined with the list separator (、 or ,) of the language
    the sentence is read in, not of the one it was made in."""

    __slots__ = ("items",)

    def __init__(self, items) -> None:
        super().__init__("cli.list_sep")
        self.items = [str(i) for i in items]

    def text(self, lang: str | None = None) -> str:
        return say("cli.list_sep", lang=lang).join(self.items)
