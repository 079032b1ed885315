"""One warehouse (2022 then 2023, so 2023 has a rank change) and one build of the 2023
reports, shared by every reports test."""

from pathlib import Path

import duckdb
import pytest

from pipelines.messages import use
from pipelines.reports import build_reports
from tests.conftest import ROOT, once

# The passages of the published self-evaluation the report imitates (its source, the
# seed text, lives outside the repository).
SEED_TEXT = ROOT / "tests" / "reports" / "seed-2023-excerpt.txt"
YEAR = 2023


@pytest.fixture(scope="session", autouse=True)
def chinese():
    """The reports under test are the Chinese ones, whatever JIXIAO_LANG says."""
    with use("zh"):
        yield


@pytest.fixture(scope="session")
def warehouse(bundled_2022_2023) -> Path:
    """raw/2022 then raw/2023 scored, runs run-2022 and run-2023 (shared: copy it to
    change it)."""
    return bundled_2022_2023


@pytest.fixture(scope="session")
def built(warehouse, tmp_path_factory) -> Path:
    """The year's reports, built once (read them; copy the folder to change it)."""

    def build(out: Path) -> Path:
        build_reports(warehouse, YEAR, out)
        return out

    return once(tmp_path_factory, "reports-out", build)


@pytest.fixture(scope="session")
def bj_fao(built) -> dict[str, Path]:
    folder = built / str(YEAR) / "beijing" / "departments"
    return {ext: folder / f"BJ-FAO.{ext}" for ext in ("html", "xlsx", "md")}


def query(warehouse: Path, sql: str, params: list | None = None) -> list[tuple]:
    """Expected values come from the warehouse: the synthetic departments are
    regenerated from time to time; only BJ-FAO's numbers are fixed (the seed)."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()
