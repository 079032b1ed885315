"""What departments send, read in before the year's extracts: ``documents/<year>/``.

``department_documents`` reads each self-evaluation report of the year's documents
folder into ``self_reported`` rows (``pipelines.intake.folder``); ``raw_extracts``
depends on it, so a run reads the extracts after the documents' figures are in. Its
check ``documents_readable`` lists the documents refused and the figures that could
not be read as one number, each with its sentence: operators see them in the UI.
"""

import dagster as dg
import pandas as pd

from pipelines.defs.metadata import joined, markdown_table
from pipelines.defs.partitions import annual_partitions
from pipelines.defs.resources import DocumentsFolder, RawFiles, Rubrics
from pipelines.defs.years import by_partition, fiscal_years_io_manager, partitions, run_years
from pipelines.intake.folder import DocumentOutcome, intake_folder
from pipelines.messages import say

GROUP = "annual_scoring"


@dg.asset(
    partitions_def=annual_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
    group_name=GROUP,
    kinds={"pdf", "docx"},
    description=say("dagster.asset.department_documents"),
    io_manager_def=fiscal_years_io_manager,  # {partition: value}, one file per partition
)
def department_documents(
    context: dg.AssetExecutionContext,
    documents_folder: DocumentsFolder,
    raw_files: RawFiles,
    rubrics: Rubrics,
) -> dict[str, list[DocumentOutcome]]:
    read = {
        year: intake_folder(documents_folder.dir, int(year), raw_files.dir, rubrics.path)
        for year in run_years(context)  # a year's documents: every jurisdiction's, once
    }
    out = {}
    for part in partitions(context):
        done = read[part.year]
        context.add_asset_metadata(
            {
                say("dagster.meta.folder"): str(documents_folder.dir / part.year),
                say("dagster.meta.documents"): len(done),
                say("dagster.meta.documents_table"): markdown_table(_table(done)),
            },
            partition_key=part.key,
        )
        out[part.key] = done
    return out


def _table(done: list[DocumentOutcome]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "file": [d.document.name for d in done],
            "dept_code": [d.dept_code for d in done],
            "figures": [d.figures for d in done],
            "unreadable": [len(d.unreadable) for d in done],
            "refused": [str(d.refused) if d.refused else None for d in done],
        }
    )


@dg.asset_check(
    asset=department_documents,
    partitions_def=annual_partitions,
    description=say("dagster.check.documents_readable"),
)
def documents_readable(
    context: dg.AssetCheckExecutionContext, department_documents: dict[str, list[DocumentOutcome]]
):
    yield from by_partition(context, lambda p: _documents_readable(department_documents[p.key]))


def _documents_readable(done: list[DocumentOutcome]) -> dg.AssetCheckResult:
    problems = [
        say("dagster.result.document_refused", file=d.document.name, why=d.refused)
        for d in done
        if d.refused
    ] + [
        say(
            "dagster.result.figure_unreadable",
            file=d.document.name,
            printed=u.printed,
            quote=u.quote,
        )
        for d in done
        for u in d.unreadable
    ]
    return dg.AssetCheckResult(
        passed=not problems,
        severity=dg.AssetCheckSeverity.WARN,  # the extracts still go on: nothing was guessed
        metadata={
            say("dagster.meta.documents"): len(done),
            say("dagster.meta.documents_refused"): sum(1 for d in done if d.refused),
            say("dagster.meta.figures_unreadable"): sum(len(d.unreadable) for d in done),
        },
        description=joined(problems) if problems else None,
    )
