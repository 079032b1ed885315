"""Running the annual assets for chosen years, in process (what ``jixiao run`` does).

With DAGSTER_HOME set the runs are recorded in that Dagster instance, so the UI
shows them with their checks; otherwise an ephemeral instance is used.
"""

import os
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import duckdb

from pipelines.defs import ASSETS, CHECKS
from pipelines.defs.resources import resources
from pipelines.messages import Message, say
from pipelines.progress import bar

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

    def line(self, lang: str | None = None) -> str:
        message = self.message.text(lang) if isinstance(self.message, Message) else self.message
        key = "cli.run.year_ok" if self.ok else "cli.run.year_failed"
        return say(key, lang=lang, year=self.year, message=message)


def run_years(
    raw_dir: Path,
    rubrics_dir: Path,
    warehouse: Path,
    years: list[int],
    progress: bool = False,
    reports_dir: Path | None = None,
    reports: str | bool = "all",
) -> list[YearOutcome]:
    """Score ``years`` in ascending order, so each year can compare with the one before.

    ``reports``: ``all`` (every department's report and the summaries), ``summary``
    (the year's summaries only) or ``none``; True and False mean all and none."""
    instance = dg.DagsterInstance.get() if os.environ.get("DAGSTER_HOME") else None
    res = resources(raw_dir, rubrics_dir, warehouse, reports_dir)
    outcomes = []
    years = sorted(years)
    reports = REPORTS_CHOICE.get(reports, reports)
    if reports not in REPORTS:
        raise ValueError(reports)
    for i, year in enumerate(years):
        if progress:
            bar(i, len(years), say("cli.run.progress", year=year))
        outcomes.append(_run_year(year, res, warehouse, instance, reports))
    if progress:
        bar(len(years), len(years), say("cli.run.progress_done"), end="\n")
    return outcomes


def _run_year(year: int, res: dict, warehouse: Path, instance, reports: str) -> YearOutcome:
    if reports == "none":
        selection = [a for a in ASSETS if a.key.to_user_string() != "reports"]
    else:
        selection = ASSETS
    try:
        result = dg.materialize(
            [*ASSETS, *CHECKS],
            selection=selection,
            partition_key=str(year),
            resources=res,
            instance=instance,
            raise_on_error=False,
            run_config=run_config(reports),
            tags={"jixiao/trigger": "cli"},
        )
    except (
        dg.DagsterError
    ) as exc:  # a subset Dagster cannot run, or a year outside the fiscal-year partitions
        return YearOutcome(
            year, False, Message("cli.run.dagster_error", kind=type(exc).__name__, message=exc)
        )
    if not result.success:
        return YearOutcome(year, False, _why(result))
    with duckdb.connect(str(warehouse), read_only=True) as con:
        row = con.execute(
            "SELECT departments, scored, refused_rows FROM runs WHERE year = ? AND run_id = ?",
            [year, result.run_id],
        ).fetchone()
        findings = dict(
            con.execute(
                "SELECT severity, count(*) FROM findings WHERE year = ? GROUP BY ALL", [year]
            ).fetchall()
        )
    depts, scored, refused = row
    summary = Message(
        "cli.run.summary",
        departments=depts,
        scored=scored,
        refused=refused,
        run=result.run_id[:8],
        **{s: findings.get(s, 0) for s in ("error", "warning", "info")},
    )
    return YearOutcome(year, True, summary)


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
