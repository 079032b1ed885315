"""One partition's run of the scoring assets under Dagster's multiprocess executor, as
a process of its own: ``python -m tests.defs.partition_job beijing|2023``.

The run is recorded in the instance of ``DAGSTER_HOME``; every step runs in a process
of its own; the paths come from the ``JIXIAO_*`` environment (``pipelines.settings``).
Prints the run's id and whether it succeeded. ``test_parallel_partitions`` starts two.
"""

import sys

import dagster as dg

from pipelines.defs import ASSETS, CHECKS
from pipelines.defs.resources import resources

SCORING = ("raw_extracts", "staged_extracts", "scored_year", "rank_stability")


def scoring_job() -> dg.JobDefinition:
    job = dg.define_asset_job(
        "partition_scoring", selection=dg.AssetSelection.assets(*SCORING).without_checks()
    )
    defs = dg.Definitions(
        assets=ASSETS,
        asset_checks=CHECKS,
        jobs=[job],
        resources=resources(),
        executor=dg.multiprocess_executor,
    )
    return defs.resolve_job_def("partition_scoring")


def main(key: str) -> int:
    with dg.DagsterInstance.get() as instance:
        result = dg.execute_job(
            dg.reconstructable(scoring_job),
            instance,
            tags={"dagster/partition": key},
            run_config={"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}},
        )
        print(result.run_id, result.success)
        return 0 if result.success else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
