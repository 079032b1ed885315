"""One year end to end, as plain Python: read → stage → score → write the warehouse.

The Dagster assets run the same steps one by one; tests and scripts can call
``run_year`` directly.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from pipelines.ingest.stage import RawYear, StagedYear, read_year, stage_year
from pipelines.rubric.library import RubricInUse, RubricLibrary
from pipelines.warehouse.write import YearSummary, connect, replace_year


def stage(raw: RawYear, library: RubricLibrary) -> StagedYear:
    return stage_year(raw, lambda jurisdiction: library.get(jurisdiction, raw.year).rubric)


def rubrics_in_use(staged: StagedYear, library: RubricLibrary) -> list[RubricInUse]:
    jurisdictions = sorted(set(staged.tables["departments"]["jurisdiction"]))
    return [library.get(j, staged.year) for j in jurisdictions]


def run_year(
    raw_dir: Path | str,
    rubrics_dir: Path | str,
    warehouse: Path | str,
    year: int,
    run_id: str | None = None,
) -> YearSummary:
    library = RubricLibrary(rubrics_dir)
    staged = stage(read_year(Path(raw_dir), year), library)
    used = rubrics_in_use(staged, library)
    with connect(warehouse) as con:
        return replace_year(con, staged, used, run_id or uuid.uuid4().hex, str(raw_dir))
