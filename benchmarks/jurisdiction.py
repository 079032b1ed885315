"""Replacing a year whole against replacing one jurisdiction of it (a Dagster partition).

    python -m benchmarks.jurisdiction RAW RUBRICS WAREHOUSE YEAR JURISDICTION

Stages the year once, then writes it four times into WAREHOUSE (which should not
exist): whole into the empty warehouse, JURISDICTION's part with the year present,
whole again, and JURISDICTION's part again. Prints one JSON line per write: its
total and the stages ``pipelines.timing`` records inside it.
"""

from __future__ import annotations

import json
import sys
import time
import uuid
from pathlib import Path

from pipelines.annual import replace_year, rubrics_in_use, stage
from pipelines.ingest.stage import read_year
from pipelines.rubric.library import RubricLibrary
from pipelines.timing import recording
from pipelines.warehouse.write import connect


def main(argv: list[str]) -> None:
    raw_dir, rubrics, warehouse = Path(argv[0]), Path(argv[1]), Path(argv[2])
    year, jurisdiction = int(argv[3]), argv[4]
    library = RubricLibrary(rubrics)
    staged = stage(read_year(raw_dir, year), library)
    writes = (
        ("whole year, empty warehouse", None),
        (f"{jurisdiction}, year present", jurisdiction),
        ("whole year, year present", None),
        (f"{jurisdiction} again", jurisdiction),
    )
    for label, only in writes:
        used = rubrics_in_use(staged, library, only)
        with recording() as seconds, connect(warehouse) as con:
            started = time.perf_counter()
            replace_year(con, staged, used, uuid.uuid4().hex, str(raw_dir), only)
            total = time.perf_counter() - started
        stages = {k: round(v, 2) for k, v in seconds.items()}
        print(json.dumps({"write": label, "total": round(total, 2), **stages}, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
