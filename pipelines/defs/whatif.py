"""The what-if scenario as a configured Dagster job (the same as `jixiao whatif`).

Launch it from the UI's launchpad with, for example:

    ops:
      whatif_scenario:
        config: {year: 2024, rubric: beijing/2023, sets: [], scenario: "2024 under 2023"}
"""

import dagster as dg
from pydantic import Field

from pipelines import whatif as scenarios
from pipelines.defs.metadata import described, markdown_table
from pipelines.defs.resources import Rubrics, Warehouse
from pipelines.messages import say


@described("dagster.config.whatif")
class WhatIfConfig(dg.Config):
    year: int = Field(description=say("dagster.config.whatif_year"))
    rubric: str = Field(description=say("dagster.config.whatif_rubric"))
    sets: list[str] = Field([], description=say("dagster.config.whatif_sets"))
    scenario: str | None = Field(None, description=say("dagster.config.whatif_scenario"))


@dg.op(pool="warehouse", description=say("dagster.op.whatif_scenario"))
def whatif_scenario(
    context: dg.OpExecutionContext, config: WhatIfConfig, rubrics: Rubrics, warehouse: Warehouse
) -> None:
    used = scenarios.variant(config.rubric, rubrics.path, config.sets)
    with warehouse.get_connection() as con:
        done = scenarios.run(
            con,
            config.year,
            used,
            context.run_id,
            config.sets,
            config.scenario,
            ref=config.rubric,
        )
    warehouse.publish()
    context.log.info(done.summary())
    context.add_output_metadata(
        {
            say("dagster.meta.scenario"): done.name,
            say("dagster.meta.departments"): len(done.changes),
            say("dagster.meta.changed"): len(done.moved),
            say("dagster.meta.changes"): markdown_table(done.moved),
        },
    )


@dg.job(description=say("dagster.job.whatif"))
def whatif():
    whatif_scenario()
