"""The Dagster code location: thin wiring over the ``pipelines`` library.

``dg dev`` (``make ui``) in the project root loads ``defs`` from here (pyproject.toml,
[tool.dg]; the older ``dagster dev`` reads [tool.dagster]). Paths come from the
environment (``pipelines.settings``).
"""

import dagster as dg

from pipelines.defs.assets import (
    published_warehouse,
    rank_stability,
    raw_extracts,
    reports,
    scored_year,
    staged_extracts,
)
from pipelines.defs.automation import annual_schedule_for, raw_sensor_for
from pipelines.defs.checks import (
    all_departments_scored,
    extracts_usable,
    files_readable,
    findings_to_review,
    reports_complete,
    scores_consistent,
    snapshot_matches,
    stability_complete,
)
from pipelines.defs.documents import department_documents, documents_readable
from pipelines.defs.executors import executor
from pipelines.defs.expectations import great_expectations
from pipelines.defs.resources import resources
from pipelines.defs.staleness import stale_years_sensor_for
from pipelines.defs.whatif import whatif
from pipelines.messages import say

ASSETS = [
    department_documents,
    raw_extracts,
    staged_extracts,
    scored_year,
    rank_stability,
    published_warehouse,
    reports,
]
CHECKS = [
    documents_readable,
    files_readable,
    extracts_usable,
    scores_consistent,
    all_departments_scored,
    findings_to_review,
    stability_complete,
    snapshot_matches,
    great_expectations,
    reports_complete,
]

annual_scoring_job = dg.define_asset_job(
    "annual_scoring",
    selection=dg.AssetSelection.assets(*ASSETS),
    description=say("dagster.job.annual_scoring"),
)


def definitions(executor_name: str | None = None) -> dg.Definitions:
    """The code location, its steps run by the executor ``executor_name`` names
    (default: ``JIXIAO_EXECUTOR``; ``pipelines.defs.executors``)."""
    return dg.Definitions(
        assets=ASSETS,
        asset_checks=CHECKS,
        jobs=[annual_scoring_job, whatif],
        schedules=[annual_schedule_for(annual_scoring_job)],
        sensors=[raw_sensor_for(annual_scoring_job), stale_years_sensor_for(ASSETS)],
        resources=resources(),
        executor=executor(executor_name),
    )


defs = definitions()
