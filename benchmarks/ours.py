"""The pipeline under test: the steps the Dagster assets run, timed stage by stage.

    python -m benchmarks.ours RAW RUBRICS WAREHOUSE YEAR...

ingest + validate = reading and staging the raw files (both lanes, pandera included)
and copying the staged rows into the warehouse; score = the scoring SQL, then writing
scores, findings and refusals; rank = rank stability (200 draws) and the ranking view;
publish = the read-only snapshot, once after the last year (as one run of several
years would). Prints one JSON line (``benchmarks.child``).
"""

from __future__ import annotations

import sys
import uuid
from pathlib import Path

from benchmarks.child import report
from pipelines.annual import YearBlocked, replace_year, rubrics_in_use, stage
from pipelines.ingest.stage import read_year
from pipelines.rankings import stability
from pipelines.rubric.library import RubricLibrary
from pipelines.timing import recording, timed
from pipelines.warehouse.publish import ensure_working, publish
from pipelines.warehouse.write import connect


def main(argv: list[str]) -> None:
    raw_dir, rubrics, warehouse = Path(argv[0]), Path(argv[1]), Path(argv[2])
    years = [int(y) for y in argv[3:]]
    library = RubricLibrary(rubrics)
    run_id = uuid.uuid4().hex
    with recording() as seconds:
        for year in years:
            with timed("read"):
                raw = read_year(raw_dir, year)
            with timed("stage"):
                staged = stage(raw, library)
            if staged.blocking:
                raise YearBlocked("; ".join(map(str, staged.blocking)))
            with connect(ensure_working(warehouse)) as con:
                replace_year(con, staged, rubrics_in_use(staged, library), run_id, str(raw_dir))
                with timed("rank"):
                    stability.rank_stability(con, year, run_id)
                    con.execute("SELECT count(*) FROM v_rankings WHERE year = ?", [year]).fetchall()
        with timed("publish"):
            publish(warehouse)
    with connect(warehouse, read_only=True) as con:
        [(departments, lines)] = con.execute(
            "SELECT (SELECT count(*) FROM department_scores), (SELECT count(*) FROM line_scores)"
        ).fetchall()
    report(seconds=seconds, departments=departments, line_rows=lines)


if __name__ == "__main__":
    main(sys.argv[1:])
