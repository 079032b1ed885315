"""Great Expectations in a process of its own, imported while the run does its work.

Importing ``great_expectations`` is about 6 s of Python on this machine, more than the
bundled year's staging, scoring and writing together. A run that will validate
(``jixiao run``) calls ``start()`` first: a worker process begins the import at once,
on the other core, while the run stages, scores and writes; the Great Expectations
check then validates in that process (``validate_with_docs``), and ``stop()`` ends it.
Without ``start()`` (a Dagster run from the UI, the tests' runs) the check validates
in its own process, as before. An import in a thread was tried and made runs slower:
it competes with the run for the interpreter (docs/performance.md).
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from pipelines.quality import expectations

_pool: ProcessPoolExecutor | None = None


def _import() -> None:
    import great_expectations  # noqa: F401


def start() -> None:
    """Start the worker and its import, unless one is running."""
    global _pool
    if _pool is None:
        _pool = ProcessPoolExecutor(
            max_workers=1, mp_context=multiprocessing.get_context("spawn"), initializer=_import
        )
        _pool.submit(int)  # the process starts with its first task


def stop() -> None:
    global _pool
    if _pool is not None:
        _pool.shutdown(cancel_futures=True)
        _pool = None


def validate_with_docs(
    warehouse_path: str | Path, year: int, docs_dir: Path
) -> tuple[list[expectations.SuiteResult], Path]:
    """``expectations.validate_with_docs``, in the worker when one was started."""
    if _pool is None:
        return expectations.validate_with_docs(warehouse_path, year, docs_dir)
    return _pool.submit(
        expectations.validate_with_docs, str(warehouse_path), year, Path(docs_dir)
    ).result()
