"""Wall time per pipeline stage, recorded only when someone asks for it.

``with timed("score"):`` around a step adds its wall time to the dict of the
innermost ``recording()`` block, if any; outside one it costs nothing and records
nothing. The benchmark (``benchmarks/``) reads these figures.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_current: ContextVar[dict[str, float] | None] = ContextVar("jixiao_timings", default=None)


@contextmanager
def recording() -> Iterator[dict[str, float]]:
    """Collect ``{stage: seconds}`` for the ``timed`` blocks run inside this block."""
    times: dict[str, float] = {}
    token = _current.set(times)
    try:
        yield times
    finally:
        _current.reset(token)


@contextmanager
def timed(stage: str) -> Iterator[None]:
    times = _current.get()
    if times is None:
        yield
        return
    start = time.perf_counter()
    try:
        yield
    finally:
        times[stage] = times.get(stage, 0.0) + time.perf_counter() - start
