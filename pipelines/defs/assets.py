"""The annual scoring assets, one partition per jurisdiction × fiscal year: raw → staged
→ scored.

Each asset calls one plain step of ``pipelines``; the Dagster layer adds only
partitions, resources and the metadata an operator sees in the UI.

A run covers one partition or, as a backfill, several: every asset has
``BackfillPolicy.single_run()``, so beijing 2022…2024 is one run of these same assets
and checks, each asset doing the run's partitions oldest year first (``partitions``),
each partition's metadata on that partition's materialization. A year's files are read
and staged once a run, whatever its jurisdictions; each partition scores and writes
its own jurisdiction's part of the year (``replace_year``). ``raw_extracts`` and
``staged_extracts`` pass ``{partition key: value}`` downstream
(``FiscalYearsIOManager``); the warehouse is published once per run.
"""

from decimal import Decimal
from pathlib import Path

import dagster as dg
from pydantic import Field

from pipelines import faults
from pipelines.annual import replace_year, rubrics_in_use, stage
from pipelines.defs import preview  # noqa: F401  (before the definitions that need it)
from pipelines.defs.documents import department_documents
from pipelines.defs.metadata import described, files_table, markdown_table
from pipelines.defs.partitions import LAST_YEAR, annual_partitions
from pipelines.defs.resources import RawFiles, ReportsFolder, Rubrics, Warehouse
from pipelines.defs.staleness import RESCORE_WHEN_LAST_YEAR_CHANGES
from pipelines.defs.years import fiscal_years_io_manager, partitions, run_years
from pipelines.ingest.read import SUFFIXES
from pipelines.ingest.stage import RawYear, StagedYear, read_year
from pipelines.messages import say
from pipelines.rankings import stability

GROUP = "annual_scoring"
TOP = 20  # departments shown in the ranking preview
# a backfill of several years is one run of the assets (the UI's backfill, or
# `dagster asset materialize --partition-range 'beijing|2022...beijing|2024'`)
ONE_RUN = dg.BackfillPolicy.single_run()


@dg.asset(
    partitions_def=annual_partitions,
    backfill_policy=ONE_RUN,
    group_name=GROUP,
    kinds={"csv", "xlsx"},
    deps=[department_documents],  # the documents' figures are in self_reported first
    description=say("dagster.asset.raw_extracts", suffixes=say("dagster.list_sep").join(SUFFIXES)),
    io_manager_def=fiscal_years_io_manager,  # {partition: value}, one file per partition
)
def raw_extracts(context: dg.AssetExecutionContext, raw_files: RawFiles) -> dict[str, RawYear]:
    read = {year: read_year(raw_files.dir, int(year)) for year in run_years(context)}
    faults.reached("reading")
    out = {}
    for part in partitions(context):
        raw = read[part.year]  # a year's files are every jurisdiction's
        files = files_table(raw)
        context.add_asset_metadata(
            {
                say("dagster.meta.folder"): str(raw_files.dir / part.year),
                say("dagster.meta.files"): markdown_table(files),
                say("dagster.meta.rows"): int(files["rows"].fillna(0).sum()),
            },
            partition_key=part.key,
        )
        out[part.key] = raw
    return out


@dg.asset(
    partitions_def=annual_partitions,
    backfill_policy=ONE_RUN,
    group_name=GROUP,
    kinds={"pandas", "pandera", "duckdb"},
    description=say("dagster.asset.staged_extracts"),
    io_manager_def=fiscal_years_io_manager,  # {partition: value}, one file per partition
)
def staged_extracts(
    context: dg.AssetExecutionContext,
    raw_extracts: dict[str, RawYear],
    rubrics: Rubrics,
    raw_files: RawFiles,
) -> dict[str, StagedYear]:
    staged_years: dict[str, StagedYear] = {}
    out = {}
    for part in partitions(context):
        if part.year not in staged_years:  # the year's files, staged once a run
            raw = raw_extracts[part.key]
            staged_years[part.year] = stage(raw, rubrics.library(), raw_files.refusal_policy)
            faults.reached("staging")
        staged = staged_years[part.year]
        accepted = {
            say("dagster.meta.accepted_rows", extract=name): len(t)
            for name, t in staged.tables.items()
        }
        context.add_asset_metadata(
            {
                **accepted,
                say("dagster.meta.refused_rows"): len(staged.rejected),
                say("dagster.meta.refused_sample"): markdown_table(
                    staged.rejected.drop(columns="dept_code")
                ),
                say("dagster.meta.departments_not_scored"): len(staged.unscorable),
            },
            partition_key=part.key,
        )
        out[part.key] = staged
    return out


# Year N compares with year N − 1 (carryover against last year's rate): scoring N
# reads N − 1's staged rows, which scoring N − 1 wrote into the warehouse, so N depends
# on N − 1 of this same asset, in the same jurisdiction (partitions.LAST_YEAR). In a
# backfill's one run the years go oldest first.
@dg.asset(
    partitions_def=annual_partitions,
    backfill_policy=ONE_RUN,
    automation_condition=RESCORE_WHEN_LAST_YEAR_CHANGES,
    group_name=GROUP,
    kinds={"duckdb"},
    pool="warehouse",
    deps=[dg.AssetDep("scored_year", partition_mapping=LAST_YEAR)],
    description=say("dagster.asset.scored_year"),
)
def scored_year(
    context: dg.AssetExecutionContext,
    staged_extracts: dict[str, StagedYear],
    rubrics: Rubrics,
    raw_files: RawFiles,
    warehouse: Warehouse,
) -> dg.MaterializeResult:
    for part in partitions(context):  # oldest first: each year reads the one before
        staged = staged_extracts[part.key]
        used = rubrics_in_use(staged, rubrics.library(), part.jurisdiction)
        with warehouse.get_connection() as con:
            summary = replace_year(
                con, staged, used, context.run_id, str(raw_files.dir), part.jurisdiction
            )
            preview = con.execute(
                """SELECT rank, dept_code, dept_name, total_score, grade
                   FROM v_department_scores
                   WHERE year = ? AND jurisdiction = ? ORDER BY rank, dept_code LIMIT ?""",
                [summary.year, part.jurisdiction, TOP],
            ).df()
        context.add_asset_metadata(
            {
                say("dagster.meta.departments"): summary.departments,
                say("dagster.meta.scored"): summary.scored,
                say("dagster.meta.refused_rows"): summary.refused_rows,
                **{
                    say("dagster.meta.findings", severity=s): n for s, n in summary.findings.items()
                },
                say("dagster.meta.rubrics"): say("dagster.list_sep").join(
                    f"{u.rubric.id} ({u.hash[:12]})" for u in used
                ),
                say("dagster.meta.ranking", n=TOP): markdown_table(preview),
            },
            partition_key=part.key,
        )
    return dg.MaterializeResult()


@described("dagster.config.stability")
class StabilityConfig(dg.Config):
    # How far the rank-stability reading moves the weights (see pipelines.rankings).
    # Text, so that 7.5 stays the exact decimal 7.5 in the bounds.
    perturbation_pct: str = Field("10", description=say("dagster.config.perturbation_pct"))


@dg.asset(
    partitions_def=annual_partitions,
    backfill_policy=ONE_RUN,
    automation_condition=RESCORE_WHEN_LAST_YEAR_CHANGES,
    group_name=GROUP,
    kinds={"duckdb"},
    pool="warehouse",
    deps=[scored_year],
    description=say("dagster.asset.rank_stability"),
)
def rank_stability(
    context: dg.AssetExecutionContext, config: StabilityConfig, warehouse: Warehouse
) -> dg.MaterializeResult:
    settings = stability.Settings(Decimal(config.perturbation_pct))
    for part in partitions(context):
        year = int(part.year)
        with warehouse.get_connection() as con:
            ranked = stability.rank_stability(
                con, year, context.run_id, settings, part.jurisdiction
            )
            volatile = con.execute(
                """SELECT dept_code, official_rank, best_rank, worst_rank, score_radius
                   FROM rank_stability WHERE year = ? AND jurisdiction = ?
                   ORDER BY max_abs_shift DESC, dept_code LIMIT 10""",
                [year, part.jurisdiction],
            ).df()
        context.add_asset_metadata(
            {
                say("dagster.meta.departments"): ranked,
                say("dagster.meta.most_volatile"): markdown_table(volatile),
            },
            partition_key=part.key,
        )
    return dg.MaterializeResult(
        metadata={say("dagster.meta.perturbation_pct"): config.perturbation_pct}
    )


@dg.asset(
    partitions_def=annual_partitions,
    backfill_policy=ONE_RUN,
    automation_condition=RESCORE_WHEN_LAST_YEAR_CHANGES,
    group_name=GROUP,
    kinds={"duckdb"},
    pool="warehouse",
    deps=[scored_year, rank_stability],
    description=say("dagster.asset.published_warehouse"),
)
def published_warehouse(warehouse: Warehouse) -> dg.MaterializeResult:
    # once per run, whatever the number of years: the snapshot holds them all
    path = warehouse.publish()
    return dg.MaterializeResult(
        metadata={
            say("dagster.meta.path"): dg.MetadataValue.path(str(path)),
            say("dagster.meta.size_mb"): round(path.stat().st_size / 1e6, 2),
        }
    )


@described("dagster.config.reports")
class ReportsConfig(dg.Config):
    # PDFs cost ~1 s each (a browser per page): off for bulk builds
    pdf: bool = Field(False, description=say("dagster.config.pdf"))
    # False: the year's summaries only (jixiao run --reports summary), in seconds
    departments: bool = Field(True, description=say("dagster.config.departments"))


@dg.asset(
    partitions_def=annual_partitions,
    backfill_policy=ONE_RUN,
    automation_condition=RESCORE_WHEN_LAST_YEAR_CHANGES,
    group_name=GROUP,
    kinds={"html", "xlsx"},
    deps=[published_warehouse],
    description=say("dagster.asset.reports"),
)
def reports(
    context: dg.AssetExecutionContext,
    config: ReportsConfig,
    warehouse: Warehouse,
    reports_folder: ReportsFolder,
    rubrics: Rubrics,
) -> dg.MaterializeResult:
    from pipelines.reports import NothingToReport, build_reports  # matplotlib: only to render

    folder = Path(reports_folder.path)
    for year in run_years(context):  # a year's reports: its jurisdictions' folders
        keys = [p.key for p in partitions(context) if p.year == year]
        try:
            written = build_reports(
                warehouse.published,
                int(year),
                folder,
                pdf=config.pdf,
                departments=config.departments,
                rubrics_dir=rubrics.path,  # the draft rules (rubrics/drafts/)
            )
        except NothingToReport as exc:  # every department refused: findings say why
            context.log.warning(say("dagster.log.no_reports", why=exc))
            for key in keys:
                context.add_asset_metadata(
                    {say("dagster.meta.files"): 0, say("dagster.meta.why_none"): str(exc)},
                    partition_key=key,
                )
            continue
        summaries = [p for p in written if p.stem == "summary" and p.suffix == ".html"]
        for key in keys:
            context.add_asset_metadata(
                {
                    say("dagster.meta.files"): len(written),
                    say("dagster.meta.folder"): dg.MetadataValue.path(str(folder)),
                    **{
                        say("dagster.meta.summary", jurisdiction=p.parent.name): (
                            dg.MetadataValue.path(str(p))
                        )
                        for p in summaries
                    },
                },
                partition_key=key,
            )
    return dg.MaterializeResult()
