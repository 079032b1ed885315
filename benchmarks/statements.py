"""The costliest SQL statements of writing a year, each timed as it runs.

    python -m benchmarks.statements RAW RUBRICS WAREHOUSE YEAR [N]

Stages the year, then replaces it in WAREHOUSE through a connection that times every
``execute``, and prints the N (default 25) statements that took longest: seconds,
how many times it ran, and its first 160 characters.
"""

from __future__ import annotations

import sys
import time
import uuid
from collections import Counter
from pathlib import Path

from pipelines.annual import replace_year, rubrics_in_use, stage
from pipelines.ingest.stage import read_year
from pipelines.rubric.library import RubricLibrary
from pipelines.warehouse.write import connect


class TimedConnection:
    """A DuckDB connection whose ``execute`` adds its time to ``seconds[statement]``."""

    def __init__(self, con):
        self._con = con
        self.seconds: Counter[str] = Counter()
        self.calls: Counter[str] = Counter()

    def execute(self, query, *args, **kwargs):
        started = time.perf_counter()
        try:
            return self._con.execute(query, *args, **kwargs)
        finally:
            key = " ".join(str(query).split())[:160]
            self.seconds[key] += time.perf_counter() - started
            self.calls[key] += 1

    def __getattr__(self, name):
        return getattr(self._con, name)


def main(argv: list[str]) -> None:
    raw_dir, rubrics, warehouse, year = Path(argv[0]), Path(argv[1]), Path(argv[2]), int(argv[3])
    top = int(argv[4]) if len(argv) > 4 else 25
    library = RubricLibrary(rubrics)
    staged = stage(read_year(raw_dir, year), library)
    with connect(warehouse) as con:
        timed = TimedConnection(con)
        started = time.perf_counter()
        replace_year(timed, staged, rubrics_in_use(staged, library), uuid.uuid4().hex)
        print(f"replace_year: {time.perf_counter() - started:.2f} s")
    for statement, seconds in timed.seconds.most_common(top):
        print(f"{seconds:7.2f} s {timed.calls[statement]:4d}× {statement}")


if __name__ == "__main__":
    main(sys.argv[1:])
