"""Exact number text for the generated extracts: integers in, fixed-point text out.

Amounts are built as integers in 分 (1/100 of a 万元 figure's last place), rates as
integers scaled by 10**places, so nothing is ever rounded through a binary float on
its way to the file.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd


def fixed(values, places: int) -> pd.Series:
    """Integers scaled by 10**places → text with exactly ``places`` decimals (1234 → 12.34)."""
    v = pd.Series(np.asarray(values, dtype="int64"))
    if places == 0:
        return v.astype(str)
    scale = 10**places
    a = v.abs()
    sign = pd.Series(np.where(v < 0, "-", ""), index=v.index)
    return sign + (a // scale).astype(str) + "." + (a % scale).astype(str).str.zfill(places)


def pct_scaled(num, den, places: int) -> np.ndarray:
    """num / den in percent, scaled by 10**places, rounded half-up (non-negative inputs)."""
    n = np.asarray(num, dtype="int64")
    d = np.asarray(den, dtype="int64")
    return (2 * n * 100 * 10**places + d) // (2 * d)


def scaled(value: Decimal, places: int, what: str) -> int:
    """A rubric number as an exact integer scaled by 10**places (7.5, 2 → 750)."""
    out = Decimal(value).scaleb(places)
    if out != out.to_integral_value():
        raise ValueError(f"{what} {value} has more than {places} decimal places")
    return int(out)
