"""Great Expectations suites as Dagster asset checks on the published snapshot.

One check per suite (pipelines.quality.expectations), each reading the snapshot
read-only, so analysts' view is what is checked, one result per suite and year of the
run (a backfill validates each of its years). Data Docs are built beside the
warehouse (``<warehouse folder>/data_docs/index.html``). great_expectations is
imported only when a check runs (it takes seconds), never when the code location
loads.
"""

from pathlib import Path

import dagster as dg

from pipelines.defs.assets import published_warehouse
from pipelines.defs.metadata import markdown_table
from pipelines.defs.resources import Warehouse
from pipelines.defs.years import by_partition
from pipelines.messages import say
from pipelines.quality.expectations import QUERIES

SUITES = list(QUERIES)


def data_docs_dir(published: str) -> Path:
    return Path(published).parent / "data_docs"


@dg.multi_asset_check(
    name="great_expectations",
    specs=[
        dg.AssetCheckSpec(
            f"gx_{suite}",
            asset=published_warehouse,
            partitions_def=published_warehouse.partitions_def,
            description=say("dagster.check.gx", suite=suite),
        )
        for suite in SUITES
    ],
)
def great_expectations(context: dg.AssetCheckExecutionContext, warehouse: Warehouse):
    yield from by_partition(context, lambda p: _suites(int(p.year), warehouse))


def _suites(year: int, warehouse: Warehouse):
    # in the worker ``jixiao run`` started, if it did (pipelines.quality.gx_worker)
    from pipelines.quality.gx_worker import validate_with_docs

    # one validation gives both the results and the Data Docs (twice cost 2× the time)
    results, docs = validate_with_docs(
        warehouse.published, year, data_docs_dir(warehouse.published)
    )
    for result in results:
        failed = [{k: str(v) for k, v in f.items()} for f in result.failed]
        yield dg.AssetCheckResult(
            check_name=f"gx_{result.name}",
            asset_key=published_warehouse.key,
            passed=result.success,
            metadata={
                say("dagster.meta.failed_expectations"): len(result.failed),
                say("dagster.meta.failing_sample"): markdown_table(_frame(failed)),
                say("dagster.meta.data_docs"): dg.MetadataValue.path(str(docs)),
            },
        )


def _frame(rows: list[dict]):
    import pandas as pd

    return pd.DataFrame(rows)
