"""The named stages of a run, and a test-only switch that kills the process at one.

A fault test has to hit the same moment on every machine, so it never waits on the
clock: it sets ``JIXIAO_KILL_AT=<stage>`` for the run it starts, and the run sends
itself SIGKILL when it reaches that stage. Unset (always, outside tests), ``reached``
only compares a string.

The stages, in the order a run meets them:

- ``reading``: the year's raw files are read, nothing staged yet;
- ``staging``: the rows are validated and staged, the warehouse not yet opened;
- ``write_open``: the year's rows are written inside the open transaction;
- ``commit``: the transaction is committed to the working file, nothing published;
- ``checks``: the asset checks on the committed year are running;
- ``publish_copy``: the snapshot copy is written, not yet renamed over the published file;
- ``publish_rename``: the new snapshot is in place, its temporary files not cleaned up;
- ``lock_release``: the writer lock is about to be released.

A second test-only switch shows that runs overlap, again without the clock:
``JIXIAO_MEET_AT=<stage>`` with ``JIXIAO_MEET_DIR`` and ``JIXIAO_MEET_COUNT=<n>`` makes
each process that reaches the stage sign in that folder and wait there until ``n``
have signed. If the runs did not run at the same time, the first never sees the
others and fails after ``MEET_WAIT_SECONDS``.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

STAGES = (
    "reading",
    "staging",
    "write_open",
    "commit",
    "checks",
    "publish_copy",
    "publish_rename",
    "lock_release",
)
ENV = "JIXIAO_KILL_AT"
MEET_ENV, MEET_DIR_ENV, MEET_COUNT_ENV = "JIXIAO_MEET_AT", "JIXIAO_MEET_DIR", "JIXIAO_MEET_COUNT"
MEET_WAIT_SECONDS = 300


def reached(stage: str) -> None:
    """Mark ``stage`` as reached; with ``JIXIAO_KILL_AT`` naming it, die here at once."""
    if stage not in STAGES:
        raise ValueError(f"unknown run stage {stage!r}; the stages are {', '.join(STAGES)}")
    if os.environ.get(ENV) == stage:
        os.kill(os.getpid(), signal.SIGKILL)
    if os.environ.get(MEET_ENV) == stage:
        _meet(Path(os.environ[MEET_DIR_ENV]), int(os.environ[MEET_COUNT_ENV]))


def _meet(folder: Path, count: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / str(os.getpid())).touch()
    deadline = time.monotonic() + MEET_WAIT_SECONDS
    while len(list(folder.iterdir())) < count:
        if time.monotonic() > deadline:
            raise RuntimeError(f"{count} processes were to meet in {folder}; they did not")
        time.sleep(0.05)
