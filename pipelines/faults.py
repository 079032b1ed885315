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
"""

from __future__ import annotations

import os
import signal

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


def reached(stage: str) -> None:
    """Mark ``stage`` as reached; with ``JIXIAO_KILL_AT`` naming it, die here at once."""
    if stage not in STAGES:
        raise ValueError(f"unknown run stage {stage!r}; the stages are {', '.join(STAGES)}")
    if os.environ.get(ENV) == stage:
        os.kill(os.getpid(), signal.SIGKILL)
