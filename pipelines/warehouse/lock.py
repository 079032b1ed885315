"""One writer at a time per warehouse file, across processes.

DuckDB lets one process open a file for writing; a second writer would fail at
once with a lock error. Writers here queue on an advisory lock file beside the
database instead, so two years run at the same time (two `jixiao run` processes,
a sensor run and a backfill) take turns rather than fail. Readers of the published
snapshot never take it.
"""

from __future__ import annotations

import fcntl
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pipelines.messages import Message


class WarehouseBusy(Exception):
    """Another writer held the warehouse for longer than the wait allowed. Its message
    is a ``Message``: ``str()`` renders it in the current language."""


@contextmanager
def writer_lock(database: Path | str, wait_seconds: float = 1800) -> Iterator[None]:
    lock_path = Path(f"{database}.lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a") as handle:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    why = Message(
                        "warehouse.busy", database=database, seconds=f"{wait_seconds:.0f}"
                    )
                    raise WarehouseBusy(why) from None
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
