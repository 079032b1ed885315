"""Resources: where raw extracts, rubrics and the warehouse are. Set per environment.

What the UI shows of them (a resource's description is its ``__doc__``, a field's its
``description``) comes from the message catalog (``dagster.resource.*``).
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_duckdb import DuckDBResource
from pydantic import Field

from pipelines import faults, settings
from pipelines.defs.metadata import described
from pipelines.messages import say
from pipelines.rubric.library import RubricLibrary
from pipelines.warehouse.lock import writer_lock
from pipelines.warehouse.publish import ensure_working, publish, working_path


@described("dagster.resource.raw_files")
class RawFiles(dg.ConfigurableResource):
    # The folder holding <year>/ extract folders, and what a refused row does per
    # extract: quarantine (default: refuse it, go on) or fail_year.
    path: str = Field(description=say("dagster.resource.raw_files_path"))
    refusal_policy: dict[str, str] = Field({}, description=say("dagster.resource.refusal_policy"))

    @property
    def dir(self) -> Path:
        return Path(self.path)


@described("dagster.resource.rubrics")
class Rubrics(dg.ConfigurableResource):
    # The folder holding <jurisdiction>/<year>.yaml rubric files.
    path: str = Field(description=say("dagster.resource.rubrics_path"))

    def library(self) -> RubricLibrary:
        return RubricLibrary(self.path)


@described("dagster.resource.documents_folder")
class DocumentsFolder(dg.ConfigurableResource):
    # The folder holding <year>/<dept_code>.<txt|docx|pdf> self-evaluation reports.
    path: str = Field(description=say("dagster.resource.documents_folder_path"))

    @property
    def dir(self) -> Path:
        return Path(self.path)


@described("dagster.resource.reports_folder")
class ReportsFolder(dg.ConfigurableResource):
    # Where reports are written: <path>/<year>/<jurisdiction>/…
    path: str = Field(description=say("dagster.resource.reports_folder_path"))


@described("dagster.resource.warehouse")
class Warehouse(DuckDBResource):
    # The working DuckDB file that runs write (database), and the snapshot analysts
    # read (published), replaced after each successful run. DuckDBResource's own
    # fields are declared again only to describe them from the catalog.
    database: str = Field(description=say("dagster.resource.warehouse_database"))
    connection_config: dict[str, Any] = Field(
        {}, description=say("dagster.resource.warehouse_connection_config")
    )
    published: str = Field(description=say("dagster.resource.warehouse_published"))

    @contextmanager
    def get_connection(self):
        with writer_lock(self.database):
            ensure_working(self.published)
            with super().get_connection() as con:
                yield con

    def publish(self) -> Path:
        with writer_lock(self.database):
            path = publish(self.published)
            faults.reached("lock_release")
            return path


def resources(
    raw_dir=None, rubrics_dir=None, warehouse=None, reports_dir=None, documents_dir=None
) -> dict:
    """The project's resources; every path defaults to ``pipelines.settings``."""
    published = Path(warehouse or settings.WAREHOUSE_FILE)
    return {
        "raw_files": RawFiles(path=str(raw_dir or settings.RAW_DIR)),
        "rubrics": Rubrics(path=str(rubrics_dir or settings.RUBRICS_DIR)),
        "warehouse": Warehouse(
            database=str(working_path(published)),
            published=str(published),
            connection_config={
                "memory_limit": settings.DUCKDB_MEMORY_LIMIT,
                "storage_compatibility_version": settings.STORAGE_VERSION,
            },
        ),
        "reports_folder": ReportsFolder(path=str(reports_dir or settings.REPORTS_DIR)),
        "documents_folder": DocumentsFolder(path=str(documents_dir or settings.DOCUMENTS_DIR)),
    }
