"""One year end to end, as plain Python: read → stage → score → write the warehouse.

The Dagster assets run the same steps one by one; tests and scripts can call
``run_year`` directly. ``replace_year`` is where scoring meets the warehouse: inside
the year's transaction the staged rows are stored, scored, and what scoring returns
is stored; neither side calls the other.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from pipelines.ingest.stage import RawYear, StagedYear, read_year, stage_year
from pipelines.messages import Message
from pipelines.quality import reconcile
from pipelines.rubric.library import RubricInUse, RubricLibrary
from pipelines.scoring import inputs
from pipelines.scoring.engine import score_year
from pipelines.timing import timed
from pipelines.warehouse import history, write
from pipelines.warehouse.write import YearSummary, connect


class YearBlocked(Exception):
    """The year's extracts cannot be scored as a whole (see ``StagedYear.blocking``)."""


def stage(raw: RawYear, library: RubricLibrary, policies: dict[str, str] | None = None):
    return stage_year(
        raw, lambda jurisdiction: library.get(jurisdiction, raw.year).rubric, policies
    )


def rubrics_in_use(
    staged: StagedYear, library: RubricLibrary, jurisdiction: str | None = None
) -> list[RubricInUse]:
    """The rubrics of the year's jurisdictions (of ``jurisdiction`` only, when given)."""
    return [
        library.get(j, staged.year)
        for j in staged.jurisdictions()
        if jurisdiction is None or j == jurisdiction
    ]


def run_year(
    raw_dir: Path | str,
    rubrics_dir: Path | str,
    warehouse: Path | str,
    year: int,
    run_id: str | None = None,
    policies: dict[str, str] | None = None,
    jurisdiction: str | None = None,
) -> YearSummary:
    """Score ``year`` (its ``jurisdiction`` only, when given) into ``warehouse``."""
    library = RubricLibrary(rubrics_dir)
    staged = stage(read_year(Path(raw_dir), year), library, policies)
    if staged.blocking:  # the warehouse keeps the year's last good state
        why = Message("stage.year_not_scored", year=year, why="; ".join(map(str, staged.blocking)))
        raise YearBlocked(str(why))
    used = rubrics_in_use(staged, library, jurisdiction)
    with connect(warehouse) as con:
        return replace_year(
            con, staged, used, run_id or uuid.uuid4().hex, str(raw_dir), jurisdiction
        )


def replace_year(
    con,
    staged: StagedYear,
    rubrics: list[RubricInUse],
    run_id: str,
    raw_dir: str = "",
    jurisdiction: str | None = None,
) -> YearSummary:
    """Replace ``staged.year`` in the warehouse on ``con`` (only its ``jurisdiction``'s
    part, when given: ``write``): one transaction, which also keeps the scores it
    replaces in the score history when their inputs differ, and records which of last
    year's inputs (if any) the year compared with. ``rubrics``: those of the
    jurisdictions replaced (``rubrics_in_use``)."""
    versions = []

    def keep(con) -> None:
        prior = history.current_raw_hash(con, staged.year - 1, jurisdiction)
        version = history.Version.of(staged, rubrics, prior)
        versions.append((version, history.keep_current(con, staged.year, version, jurisdiction)))

    with write.year_transaction(con, staged, before_delete=keep, jurisdiction=jurisdiction):
        write.store_staged(con, staged, jurisdiction)
        inputs.bind(con, staged.year, staged.unscorable)
        with timed("score"):
            score_year(con, staged.year, rubrics, checks=[reconcile.findings_sql])
        summary = write.store_scores(con, staged, rubrics, run_id, raw_dir, jurisdiction)
        [(version, new)] = versions
        history.note_prior_inputs(con, staged.year, run_id, version.prior_raw_hash)
        if new:
            history.record(con, staged.year, run_id, version, jurisdiction)
        return summary
