"""The published snapshot analysts read, replaced atomically after each good run.

Runs write a working file beside the published one (``.jixiao.work.duckdb`` for
``jixiao.duckdb``). After a successful run, the checkpointed working database is
copied into a new file and renamed over the published file. An analyst who has the
published file open keeps reading the version they opened; the next connection sees
the new one. Neither blocks the other, because no run ever opens the published file for writing.
"""

from __future__ import annotations

import os
import shutil
import stat
import uuid
from pathlib import Path

import duckdb

from pipelines import faults, settings
from pipelines.duck import attach


def working_path(published: Path | str) -> Path:
    published = Path(published)
    return published.with_name(f".{published.stem}.work{published.suffix}")


def ensure_working(published: Path | str) -> Path:
    """The working file; started from the published snapshot if only that exists
    (a fresh checkout of a published warehouse, or a deleted working file)."""
    published = Path(published)
    working = working_path(published)
    working.parent.mkdir(parents=True, exist_ok=True)
    if not working.exists() and published.exists():
        shutil.copyfile(published, working)
        os.chmod(working, stat.S_IRUSR | stat.S_IWUSR | stat.S_IRGRP | stat.S_IROTH)
    return working


def publish(published: Path | str) -> Path:
    """Copy the working database to a new snapshot and rename it over ``published``.

    The caller holds the writer lock, so no run writes the working file meanwhile. After
    a CHECKPOINT the file alone holds every committed row, and a plain file copy is a
    consistent snapshot (seconds for GBs; ``COPY FROM DATABASE`` rewrites every block
    and took minutes at national scale). Should a write-ahead log remain, the copy is
    made with ``COPY FROM DATABASE`` instead, and so is the first snapshot of a working
    file written in another format than ``settings.STORAGE_VERSION`` (after which the
    working file is replaced by that copy, so the next publish is a plain copy again).
    """
    published = Path(published)
    working = working_path(published)
    # a run killed between copy and rename leaves its copy behind; the caller holds the
    # writer lock, so no other run is copying now
    for stale in published.parent.glob(f".{published.name}.*.tmp*"):
        stale.unlink(missing_ok=True)
    tmp = published.with_name(f".{published.name}.{uuid.uuid4().hex}.tmp")
    try:
        with duckdb.connect(str(working)) as con:
            con.execute("CHECKPOINT")
            readable = storage_version(con) == settings.STORAGE_VERSION
        if readable and not Path(f"{working}.wal").exists():
            shutil.copyfile(working, tmp)
        else:
            _copy_database(working, tmp)
            if not readable:  # a warehouse from before the setting: later runs write it too
                _replace_working(tmp, working)
        os.chmod(tmp, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)  # analysts read, never write
        faults.reached("publish_copy")
        os.replace(tmp, published)
        faults.reached("publish_rename")
    finally:
        for leftover in (tmp, Path(f"{tmp}.wal")):
            leftover.unlink(missing_ok=True)
    return published


def storage_version(con: duckdb.DuckDBPyConnection) -> str:
    """The on-disk format of ``con``'s database, as ``ATTACH … (STORAGE_VERSION)`` names it."""
    (tags,) = con.execute(
        "SELECT tags FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchone()
    return tags.get("storage_version", "").rstrip("+")


def _copy_database(working: Path, tmp: Path) -> None:
    """Every committed row into a new file written in the promised format."""
    with duckdb.connect(str(working)) as con:
        (name,) = con.execute("SELECT current_database()").fetchone()
        con.execute(attach(tmp, "snapshot", f"STORAGE_VERSION '{settings.STORAGE_VERSION}'"))
        con.execute(f'COPY FROM DATABASE "{name}" TO snapshot')
        con.execute("DETACH snapshot")


def _replace_working(snapshot: Path, working: Path) -> None:
    fresh = working.with_name(f"{working.name}.{uuid.uuid4().hex}.tmp")
    shutil.copyfile(snapshot, fresh)
    os.chmod(fresh, stat.S_IRUSR | stat.S_IWUSR | stat.S_IRGRP | stat.S_IROTH)
    os.replace(fresh, working)
