"""How the reports print numbers, so every format agrees with the published text.

The rule, taken from the seed self-evaluation:

* amounts (万元) inside a sentence: rounded half-up to 2 places, trailing zeros
  dropped, no thousands separator: 8782.50 → ``8782.5``, 346.50 → ``346.5``;
* amounts in a table: thousands separator and always 2 places: ``8,782.50``;
* scores and weights: always 2 places: ``20.00``, ``18.83``;
* rates (stored in percent): always 2 places and a ``%``: ``94.15%``.

A missing value prints as ``—`` in tables; sentences leave the clause out
instead (``narrative.py``), so no report ever says "None" or "nan".
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

MISSING = "—"
CENT = Decimal("0.01")


def dec(value: object) -> Decimal | None:
    """The value as a Decimal, or None when it is absent (None, NaN, NA)."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return value
    try:
        if isinstance(value, float) and math.isnan(value):
            return None
        # str() first: the shortest repr of a float read from DECIMAL(18,4) is exact.
        return Decimal(str(value))
    except (TypeError, ValueError, ArithmeticError):
        return None


def cents(value: object) -> Decimal | None:
    if type(value) in (float, int) and value:  # most numbers repeat: rounded once (not
        return _cents(value)  # zero: 0.0 and -0.0 are one key, but print apart)
    d = dec(value)
    return None if d is None else d.quantize(CENT, rounding=ROUND_HALF_UP)


@lru_cache(maxsize=1 << 16, typed=True)
def _cents(value: float | int) -> Decimal | None:
    d = dec(value)
    return None if d is None else d.quantize(CENT, rounding=ROUND_HALF_UP)


def amount(value: object) -> str:
    """An amount in a sentence: ``8782.5``."""
    d = cents(value)
    if d is None:
        return MISSING
    text = f"{d:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def amount_cell(value: object) -> str:
    """An amount in a table: ``8,782.50``."""
    d = cents(value)
    return MISSING if d is None else f"{d:,.2f}"


def score(value: object) -> str:
    d = cents(value)
    return MISSING if d is None else f"{d:.2f}"


def pct(value: object) -> str:
    d = cents(value)
    return MISSING if d is None else f"{d:.2f}%"


def signed(value: object) -> str:
    """A change: ``+1.73``, ``-0.50``, ``0.00``."""
    d = cents(value)
    return MISSING if d is None else f"{d:+.2f}" if d else "0.00"


def number(value: object) -> float | None:
    """The value for a spreadsheet cell, rounded half-up to 2 places."""
    d = cents(value)
    return None if d is None else float(d)


def integer(value: object) -> int | None:
    d = dec(value)
    return None if d is None else int(d)
