"""Resources: where raw extracts, rubrics and the warehouse are. Set per environment."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from pipelines import faults, settings
from pipelines.rubric.library import RubricLibrary
from pipelines.warehouse.lock import writer_lock
from pipelines.warehouse.publish import ensure_working, publish, working_path


class RawFiles(dg.ConfigurableResource):
    """The folder holding ``<year>/`` extract folders, and what a refused row does per
    extract: ``quarantine`` (default: refuse it, go on) or ``fail_year``."""

    path: str
    refusal_policy: dict[str, str] = {}

    @property
    def dir(self) -> Path:
        return Path(self.path)


class Rubrics(dg.ConfigurableResource):
    """The folder holding ``<jurisdiction>/<year>.yaml`` rubric files."""

    path: str

    def library(self) -> RubricLibrary:
        return RubricLibrary(self.path)


class ReportsFolder(dg.ConfigurableResource):
    """Where reports are written: ``<path>/<year>/<jurisdiction>/…``."""

    path: str


class Warehouse(DuckDBResource):
    """The working DuckDB file that runs write (``database``), and the snapshot
    analysts read (``published``), replaced after each successful run."""

    published: str

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


def resources(raw_dir=None, rubrics_dir=None, warehouse=None, reports_dir=None) -> dict:
    """The project's resources; every path defaults to ``pipelines.settings``."""
    published = Path(warehouse or settings.WAREHOUSE_FILE)
    return {
        "raw_files": RawFiles(path=str(raw_dir or settings.RAW_DIR)),
        "rubrics": Rubrics(path=str(rubrics_dir or settings.RUBRICS_DIR)),
        "warehouse": Warehouse(
            database=str(working_path(published)),
            published=str(published),
            connection_config={"memory_limit": settings.DUCKDB_MEMORY_LIMIT},
        ),
        "reports_folder": ReportsFolder(path=str(reports_dir or settings.REPORTS_DIR)),
    }
