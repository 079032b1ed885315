"""The what-if scenario as a configured Dagster job (the same as `jixiao whatif`).

Launch it from the UI's launchpad with, for example:

    ops:
      whatif_scenario:
        config: {year: 2024, rubric: beijing/2023, sets: [], scenario: "2024 under 2023"}
"""

import dagster as dg

from pipelines.cli.whatif import scenario_name
from pipelines.defs.metadata import markdown_table
from pipelines.defs.resources import Rubrics, Warehouse
from pipelines.rubric.library import RubricInUse
from pipelines.rubric.load import content_hash, load_variant
from pipelines.warehouse.scenario import score_scenario


class WhatIfConfig(dg.Config):
    year: int
    rubric: str  # a rubric id (beijing/2023) or file
    sets: list[str] = []  # key.path=value changes
    scenario: str | None = None


@dg.op(pool="warehouse", description="Score a year under another rubric, as a scenario.")
def whatif_scenario(
    context: dg.OpExecutionContext, config: WhatIfConfig, rubrics: Rubrics, warehouse: Warehouse
) -> None:
    rubric = load_variant(config.rubric, rubrics.path, config.sets)
    scenario = config.scenario or scenario_name(config.rubric, config.sets)
    with warehouse.get_connection() as con:
        changes = score_scenario(
            con,
            config.year,
            RubricInUse(rubric, content_hash(rubric)),
            scenario,
            context.run_id,
            "; ".join(config.sets),
        )
    warehouse.publish()
    moved = changes[(changes["total_change"] != 0) | (changes["rank_change"] != 0)]
    context.log.info(f"scenario {scenario!r}: {len(moved)} of {len(changes)} departments changed")
    context.add_output_metadata(
        {
            "scenario": scenario,
            "departments": len(changes),
            "changed": len(moved),
            "changes": markdown_table(moved),
        },
    )


@dg.job(description="Score a year under another rubric into a named scenario (never official).")
def whatif():
    whatif_scenario()
