"""A one-line progress bar on stderr, redrawn in place: for ``jixiao run``'s years and
the reports' departments. Only on a terminal and outside CI, so logs stay clean."""

from __future__ import annotations

import os
import sys
import unicodedata


def wanted(stream=None) -> bool:
    """Whether to draw a bar: ``stream`` (stderr) is a terminal and CI is not set."""
    stream = sys.stderr if stream is None else stream
    return bool(getattr(stream, "isatty", lambda: False)()) and not os.environ.get("CI")


def bar(done: int, total: int, label: str, end: str = "", width: int = 30) -> None:
    """Draw ``[████····] done/total label`` over the current line of stderr."""
    filled = width * done // total if total else width
    drawn = "█" * filled + "·" * (width - filled)
    cols = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in label)
    label += " " * max(20 - cols, 0)  # a Chinese character takes two columns
    # \x1b[K clears what a longer line drawn before left at the end of this one.
    print(f"\r[{drawn}] {done}/{total} {label}\x1b[K", end=end, file=sys.stderr, flush=True)
