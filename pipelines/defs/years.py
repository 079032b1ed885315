"""One partition or several in one run: what the assets and checks do with the run's
partitions (jurisdiction × fiscal year, ``pipelines.defs.partitions``).

A run of the annual assets covers one partition (a run of one jurisdiction's year: the
schedule, the sensor, ``jixiao run``) or several (a backfill: the assets'
``BackfillPolicy.single_run()`` puts beijing 2022…2024 in one run). Either way an asset
or check reads ``partitions(context)``, oldest year first, and does each in turn: year
N compares with year N − 1.

- ``FiscalYearsIOManager``: what an asset returns and its downstream steps receive is
  ``{partition key: value}`` for the run's partitions. Each is pickled in its own file
  (``<storage>/<asset>/<jurisdiction>/<year>``), so a later run of one partition finds
  what a backfill stored, and the other way round. Dagster's own filesystem IO manager
  stores one partition per output only.
- ``by_partition``: an asset check's results, one per partition. An
  ``AssetCheckResult`` names no partition (Dagster gives it the run's partition, and a
  backfill's run has none), and a check may return one only once per run; so each
  partition's result becomes that partition's ``AssetCheckEvaluation``, as a single
  partition's run records it, and the check's output (what its downstream steps wait
  for) follows.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dagster as dg
from dagster._core.definitions.asset_checks.asset_check_evaluation import (
    AssetCheckEvaluationTargetMaterializationData,
)

from pipelines.defs.partitions import JURISDICTION, YEAR, annual_partitions
from pipelines.messages import say


@dataclass(frozen=True, order=True)
class Partition:
    """One partition of a run: ``year`` ("2023"), ``jurisdiction``, and its ``key``."""

    year: str
    jurisdiction: str

    @classmethod
    def of(cls, key: str) -> Partition:
        dims = annual_partitions.get_partition_key_from_str(key).keys_by_dimension
        return cls(dims[YEAR], dims[JURISDICTION])

    @property
    def key(self) -> str:
        return str(dg.MultiPartitionKey({JURISDICTION: self.jurisdiction, YEAR: self.year}))


def partitions(
    context: dg.AssetExecutionContext | dg.AssetCheckExecutionContext,
) -> list[Partition]:
    """The run's partitions, oldest year first: one, or a backfill's."""
    return sorted(Partition.of(k) for k in context.partition_keys)


def run_years(context: dg.AssetExecutionContext | dg.AssetCheckExecutionContext) -> list[str]:
    """The run's years, oldest first (work done once a year, whatever its jurisdictions)."""
    return sorted({p.year for p in partitions(context)})


class FiscalYearsIOManager(dg.IOManager):
    """``{partition key: value}`` in, one pickle file per partition out (see the
    module's text)."""

    def __init__(self, base_dir: str | Path):
        self.base_dir = Path(base_dir)

    def path(self, asset_key: dg.AssetKey, key: str) -> Path:
        part = Partition.of(key)
        return self.base_dir.joinpath(*asset_key.path, part.jurisdiction, part.year)

    def handle_output(self, context: dg.OutputContext, obj: Mapping[str, Any]) -> None:
        wanted = sorted(str(k) for k in context.asset_partition_keys)
        if not isinstance(obj, Mapping) or sorted(obj) != wanted:
            got = sorted(obj) if isinstance(obj, Mapping) else type(obj).__name__
            raise dg.DagsterInvariantViolationError(
                say(
                    "dagster.io.not_by_year",
                    asset=context.asset_key.to_user_string(),
                    years=say("dagster.list_sep").join(wanted),
                    got=got,
                )
            )
        for key in wanted:
            path = self.path(context.asset_key, key)
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(f".{path.name}.partial")
            with partial.open("wb") as f:
                pickle.dump(obj[key], f, pickle.HIGHEST_PROTOCOL)
            os.replace(partial, path)  # a run killed while writing leaves the last good file

    def load_input(self, context: dg.InputContext) -> dict[str, Any]:
        out = {}
        for key in sorted(str(k) for k in context.asset_partition_keys):
            with self.path(context.asset_key, key).open("rb") as f:
                out[key] = pickle.load(f)
        return out


@dg.io_manager(description=say("dagster.io.fiscal_years"))
def fiscal_years_io_manager(init_context: dg.InitResourceContext) -> FiscalYearsIOManager:
    """Where Dagster keeps outputs: ``storage/`` of the instance ($DAGSTER_HOME), or a
    temporary folder for an ephemeral instance, as Dagster's filesystem IO manager."""
    instance = init_context.instance
    if instance is None:
        raise dg.DagsterInvariantViolationError(say("dagster.io.no_instance"))
    return FiscalYearsIOManager(instance.storage_directory())


def by_partition(
    context: dg.AssetCheckExecutionContext,
    check: Callable[[Partition], dg.AssetCheckResult | Iterable[dg.AssetCheckResult]],
) -> Iterator[dg.AssetCheckEvaluation | dg.Output]:
    """``check(partition)`` for each partition of the run, oldest year first: its result
    (or results, for a multi-check) as that partition's evaluations, then the check's
    outputs."""
    for part in partitions(context):
        found = check(part)
        for result in [found] if isinstance(found, dg.AssetCheckResult) else found:
            yield evaluation(context, part.key, result)
    assets_def = context.op_execution_context.assets_def
    for spec in context.check_specs:
        if spec.key in context.selected_asset_check_keys:
            yield dg.Output(
                None, output_name=assets_def.get_output_name_for_asset_check_key(spec.key)
            )


def evaluation(
    context: dg.AssetCheckExecutionContext, key: str, result: dg.AssetCheckResult
) -> dg.AssetCheckEvaluation:
    """``result`` as the evaluation of partition ``key`` of its check: the check named
    by ``result.check_name``, or the check of an ``@asset_check`` (it has one)."""
    specs = [s for s in context.check_specs if result.check_name in (None, s.name)]
    if len(specs) != 1:
        raise dg.DagsterInvariantViolationError(
            say(
                "dagster.io.which_check",
                names=say("dagster.list_sep").join(s.name for s in context.check_specs),
            )
        )
    [spec] = specs
    return dg.AssetCheckEvaluation(
        asset_key=spec.asset_key,
        check_name=spec.name,
        passed=result.passed,
        metadata=result.metadata,
        target_materialization_data=_latest_materialization(context, spec.asset_key, key),
        severity=result.severity,
        description=result.description,
        blocking=spec.blocking,
        partition=key,
    )


def _latest_materialization(
    context: dg.AssetCheckExecutionContext, asset_key: dg.AssetKey, key: str
) -> AssetCheckEvaluationTargetMaterializationData | None:
    """The materialization the check looked at, as Dagster records it for a single
    partition's ``AssetCheckResult`` (the UI tells from it whether a result is current)."""
    records = context.instance.fetch_materializations(
        dg.AssetRecordsFilter(asset_key=asset_key, asset_partitions=[key]), limit=1
    ).records
    if not records:
        return None
    latest = records[0]
    return AssetCheckEvaluationTargetMaterializationData(
        run_id=latest.event_log_entry.run_id,
        storage_id=latest.storage_id,
        timestamp=latest.timestamp,
    )
