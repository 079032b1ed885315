"""Running the annual assets for chosen years, in process (what ``jixiao run`` does).

Each partition of a year (each of its jurisdictions, ``partitions.year_partitions``) is
one run of the job ``annual_scoring``. With DAGSTER_HOME set the runs are
recorded in that Dagster instance, so the UI shows them under that job with their
checks; otherwise an ephemeral instance is used. A year scored against last year's
inputs that the command changed is scored again in the same command (see
``pipelines.warehouse.history``: years are independent of the order they load in).
"""

import os
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb

from pipelines.defs import ASSETS, CHECKS, annual_scoring_job
from pipelines.defs.expectations import great_expectations
from pipelines.defs.partitions import partition_key, year_partitions
from pipelines.defs.resources import resources
from pipelines.messages import Message, say
from pipelines.progress import bar
from pipelines.quality import gx_worker
from pipelines.warehouse import history

# The summary line says what failed and why; the full event log is in the Dagster UI.
QUIET = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}
# jixiao run --reports: every report, the year's summaries only, or none.
REPORTS = ("all", "summary", "none")
REPORTS_CHOICE = {True: "all", False: "none"}


def run_config(reports: str) -> dict:
    """QUIET, plus the reports asset's config when it runs (``ReportsConfig``)."""
    if reports == "none":
        return QUIET
    ops = {"reports": {"config": {"departments": reports == "all"}}}
    return {**QUIET, "ops": ops}


@dataclass(frozen=True)
class YearOutcome:
    """A year's result; ``message`` (a ``Message`` or text) is rendered when shown."""

    year: int
    ok: bool
    message: Message | str
    # scored again because last year's inputs changed after it was scored
    stale_since: int | None = None

    def line(self, lang: str | None = None) -> str:
        message = self.message.text(lang) if isinstance(self.message, Message) else self.message
        key = "cli.run.year_ok" if self.ok else "cli.run.year_failed"
        text = say(key, lang=lang, year=self.year, message=message)
        if self.stale_since is None:
            return text
        return say("cli.run.rescored", lang=lang, prior=self.stale_since, line=text)


def run_years(
    raw_dir: Path,
    rubrics_dir: Path,
    warehouse: Path,
    years: list[int],
    progress: bool = False,
    reports_dir: Path | None = None,
    reports: str | bool = "all",
    expectations: bool = True,
    documents_dir: Path | None = None,
) -> list[YearOutcome]:
    """Score ``years`` in ascending order, so each year can compare with the one before.

    ``reports``: ``all`` (every department's report and the summaries), ``summary``
    (the year's summaries only) or ``none``; True and False mean all and none.
    ``expectations=False`` leaves the Great Expectations suites out (the other checks
    run). ``documents_dir``: the departments' self-evaluation reports, read in first
    (``pipelines.intake.folder``; default ``pipelines.settings.DOCUMENTS_DIR``)."""
    instance = dg.DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else None
    reports = REPORTS_CHOICE.get(reports, reports)
    if reports not in REPORTS:
        raise ValueError(reports)
    job = _annual_job(
        resources(raw_dir, rubrics_dir, warehouse, reports_dir, documents_dir),
        reports,
        expectations,
    )
    if expectations:
        gx_worker.start()  # Great Expectations imports on the other core meanwhile
    try:
        return _run_years(
            raw_dir, rubrics_dir, warehouse, sorted(years), progress, job, instance, reports
        )
    finally:
        gx_worker.stop()


def _run_years(
    raw_dir, rubrics_dir, warehouse, years, progress, job, instance, reports
) -> list[YearOutcome]:
    outcomes = []
    for i, year in enumerate(years):
        if progress:
            bar(i, len(years), say("cli.run.progress", year=year))
        outcomes.append(_run_year(year, job, warehouse, instance, reports, raw_dir, rubrics_dir))
    if progress:
        bar(len(years), len(years), say("cli.run.progress_done"), end="\n")
    stale = _rescore_stale(raw_dir, rubrics_dir, warehouse, job, instance, reports)
    return outcomes + stale


def _annual_job(res: dict, reports: str, expectations: bool) -> dg.JobDefinition:
    """The job ``annual_scoring`` bound to this command's folders, without the reports
    (``reports="none"``) or the Great Expectations suites when they are not asked for."""
    defs = dg.Definitions(
        assets=ASSETS, asset_checks=CHECKS, jobs=[annual_scoring_job], resources=res
    )
    assets = {a.key for a in ASSETS if reports != "none" or a.key.to_user_string() != "reports"}
    checks = {
        key
        for check in CHECKS
        if expectations or check is not great_expectations
        for key in check.check_keys
        if key.asset_key in assets
    }
    job = defs.resolve_job_def(annual_scoring_job.name)
    return job.get_subset(asset_selection=assets, asset_check_selection=checks)


def _rescore_stale(
    raw_dir: Path, rubrics_dir: Path, warehouse: Path, job, instance, reports
) -> list[YearOutcome]:
    """Score again each jurisdiction's year whose last-year inputs changed since it was
    scored. Scores of a year depend only on its inputs, so each year is re-scored at
    most once."""
    outcomes: list[YearOutcome] = []
    done: set[int] = set()
    while True:
        if not warehouse.exists():
            return outcomes
        with duckdb.connect(str(warehouse), read_only=True) as con:
            stale = [(y, p, js) for y, p, js in _stale(con) if y not in done]
        if not stale:
            return outcomes
        for year, prior, jurisdictions in stale:
            done.add(year)
            if not (raw_dir / str(year)).is_dir():
                why = Message("cli.run.stale_no_raw", prior=prior, folder=raw_dir / str(year))
                outcomes.append(YearOutcome(year, False, why, stale_since=prior))
                continue
            outcome = _run_year(
                year, job, warehouse, instance, reports, raw_dir, rubrics_dir, jurisdictions
            )
            outcomes.append(YearOutcome(year, outcome.ok, outcome.message, stale_since=prior))


def _stale(con) -> list[tuple[int, int, list[str]]]:
    try:
        return history.stale_years(con)
    except duckdb.CatalogException:  # a warehouse from before score history: nothing to say
        return []


def _run_year(
    year: int,
    job,
    warehouse: Path,
    instance,
    reports: str,
    raw_dir: Path,
    rubrics_dir: Path,
    only: list[str] | None = None,
) -> YearOutcome:
    """The year's partitions (of the jurisdictions ``only`` names, when given), one run
    each; one outcome for the year: what its runs wrote, or why each run that failed
    did (the others still run)."""
    if only is None:
        keys = year_partitions(raw_dir, rubrics_dir, year)
    else:  # jurisdictions already scored that year: their partitions exist
        keys = [partition_key(j, year) for j in only]
    if not keys:
        why = Message("cli.run.no_partitions", year=year, folder=rubrics_dir)
        return YearOutcome(year, False, why)
    run_ids, failed = [], []
    for key in keys:
        try:
            result = job.execute_in_process(
                partition_key=key,
                instance=instance,
                raise_on_error=False,
                run_config=run_config(reports),
                tags={"jixiao/trigger": "cli"},
            )
        except (
            dg.DagsterError
        ) as exc:  # a subset Dagster cannot run, or a key outside the partitions
            why = Message("cli.run.dagster_error", kind=type(exc).__name__, message=exc)
            failed.append((key, why))
            continue
        if result.success:
            run_ids.append(result.run_id)
        else:
            failed.append((key, _why(result)))
    if failed:
        return YearOutcome(year, False, _failures(failed, several=len(keys) > 1))
    with duckdb.connect(str(warehouse), read_only=True) as con:
        params = {"year": year, "runs": run_ids}
        row = con.execute(
            """SELECT sum(departments), sum(scored),
                      (SELECT count(*) FROM rejected_rows
                       WHERE year = $year AND list_contains($runs, run_id)), count(*)
               FROM runs WHERE year = $year AND list_contains($runs, run_id)""",
            params,
        ).fetchone()
        findings = dict(
            con.execute(
                """SELECT severity, count(*) FROM findings
                   WHERE year = $year AND list_contains($runs, run_id) GROUP BY ALL""",
                params,
            ).fetchall()
        )
    run = ", ".join(r[:8] for r in run_ids)
    if row[3] < len(run_ids):  # another process has replaced the year since these runs
        return YearOutcome(year, True, Message("cli.run.superseded", run=run))
    depts, scored, refused = row[:3]
    summary = Message(
        "cli.run.summary",
        departments=depts,
        scored=scored,
        refused=refused,
        run=run,
        **{s: findings.get(s, 0) for s in ("error", "warning", "info")},
    )
    return YearOutcome(year, True, summary)


def _failures(failed: list[tuple[str, Message | str]], several: bool) -> Message | str:
    """Why the year's runs failed: the one reason, or each partition's, named."""
    if not several:
        return failed[0][1]
    return "\n".join(
        say("cli.run.partition_failed", partition=key, message=str(why)) for key, why in failed
    )


def _why(result: dg.ExecuteInProcessResult) -> str:
    """Why a run failed: its failed error checks and failed steps, one a line (the
    checks' descriptions and the errors' messages as the run wrote them)."""
    reasons = []
    for ev in result.get_asset_check_evaluations():
        if not ev.passed and ev.severity == dg.AssetCheckSeverity.ERROR:
            reasons.append(
                say("cli.run.check_failed", check=ev.check_name, description=ev.description)
            )
    for ev in result.get_step_failure_events():
        err = ev.step_failure_data.error
        while err is not None and err.cause is not None:
            err = err.cause
        if err is not None and "DagsterAssetCheckFailedError" not in err.cls_name:
            reasons.append(
                say("cli.run.step_failed", step=ev.step_key, message=err.message.strip())
            )
    return "\n".join(reasons) or say("cli.run.run_failed")
