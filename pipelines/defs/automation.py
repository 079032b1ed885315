"""When the annual scoring runs by itself: a yearly schedule and a sensor on raw/<year>/.
Both start stopped (Dagster's default); docs/dagster.md says how to turn them on.

Each requests one run per partition of the year: each jurisdiction with a rubric for
it that the year's departments file names (``partitions.year_partitions``).

A backfill of several years is Dagster's own: the assets' ``BackfillPolicy.single_run()``
(pipelines.defs.assets) makes it one run of the same assets and checks as a year's run,
launched from the UI or with ``dagster asset materialize --partition-range``.
"""

import hashlib
import json
import os
from pathlib import Path

import dagster as dg

from pipelines.defs.partitions import year_partitions
from pipelines.defs.resources import DocumentsFolder, RawFiles, Rubrics
from pipelines.messages import say

# Default: 06:00 on 1 April, for the fiscal year that ended on 31 December.
ANNUAL_CRON = os.environ.get("JIXIAO_ANNUAL_CRON", "0 6 1 4 *")


def annual_schedule_for(job) -> dg.ScheduleDefinition:
    @dg.schedule(
        job=job,
        cron_schedule=ANNUAL_CRON,
        name="annual_scoring_schedule",
        default_status=dg.DefaultScheduleStatus.STOPPED,
        description=say("dagster.schedule.annual_scoring_schedule"),
    )
    def annual_scoring_schedule(
        context: dg.ScheduleEvaluationContext, raw_files: RawFiles, rubrics: Rubrics
    ):
        year = context.scheduled_execution_time.year - 1
        return [
            dg.RunRequest(run_key=f"annual-{key}", partition_key=key)
            for key in year_partitions(raw_files.dir, rubrics.path, year)
        ]

    return annual_scoring_schedule


def fingerprint(*year_dirs: Path) -> str:
    """What a change to a year's extracts (and its documents) changes: file names and
    contents. The first folder's files count as before documents were watched, so a
    year without documents keeps its fingerprint."""
    digest = hashlib.sha256()
    for i, year_dir in enumerate(d for d in year_dirs if d.is_dir()):
        prefix = f"{i}:".encode() if i else b""
        for path in sorted(p for p in year_dir.iterdir() if p.is_file()):
            digest.update(prefix + path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def raw_sensor_for(job) -> dg.SensorDefinition:
    @dg.sensor(
        job=job,
        name="raw_extracts_sensor",
        minimum_interval_seconds=60,
        default_status=dg.DefaultSensorStatus.STOPPED,
        description=say("dagster.sensor.raw_extracts_sensor"),
    )
    def raw_extracts_sensor(
        context: dg.SensorEvaluationContext,
        raw_files: RawFiles,
        documents_folder: DocumentsFolder,
        rubrics: Rubrics,
    ):
        seen = json.loads(context.cursor) if context.cursor else {}
        now = {}
        # a year is a year folder of extracts; its documents' folder changes it too
        for year_dir in sorted(raw_files.dir.glob("[0-9][0-9][0-9][0-9]")):
            if year_dir.is_dir():
                documents = documents_folder.dir / year_dir.name
                now[year_dir.name] = fingerprint(year_dir, documents)
        requests = [
            dg.RunRequest(run_key=f"raw-{key}-{digest}", partition_key=key)
            for year, digest in now.items()
            if seen.get(year) != digest
            for key in year_partitions(raw_files.dir, rubrics.path, int(year))
        ]
        context.update_cursor(json.dumps(now, sort_keys=True))
        if not requests:
            return dg.SkipReason(say("dagster.automation.no_change", folder=raw_files.dir))
        return requests

    return raw_extracts_sensor
