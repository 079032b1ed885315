"""A number as a report prints it: 19,347.12, 8782.5, 94.15%. One that is not one number
(the seed's garbled cell "18.6213.01% %") reads as None and is never guessed."""

from __future__ import annotations

import re
from decimal import Decimal

# A printed number as the text has it, garbled or not: digits with dots and commas
# inside, and any % after it (a space before a % allowed).
PRINTED = r"[0-9](?:[0-9.,]*[0-9])?(?: ?%)*"
_PLAIN = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_THOUSANDS = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")


def is_percent(printed: str) -> bool:
    return printed.endswith("%")


def read_number(printed: str) -> Decimal | None:
    """The value of ``printed`` (a percentage as its number of percent), or None."""
    core = printed.replace(" ", "")
    if core.endswith("%"):
        core = core[:-1]
    if "%" in core:
        return None
    if _THOUSANDS.fullmatch(core):
        core = core.replace(",", "")
    return Decimal(core) if _PLAIN.fullmatch(core) else None
