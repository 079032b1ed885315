"""A year's staging files: an earlier staging's file is removed once it is old, never
while another run (another partition of the year, staged at the same time) may still
write its rows from it."""

import os
import time

import pytest

from pipelines import settings
from pipelines.ingest.bulk import Store


def files_left_by_a_staging_of_2023(folder, ages: dict[str, float]) -> list[str]:
    """Files named ``<name>.duckdb`` last written ``ages[name]`` hours ago, then a
    staging of 2023 that needs a file: the names left, its own as ``NEW``."""
    now = time.time()
    for name, hours in ages.items():
        path = folder / f"{name}.duckdb"
        path.write_bytes(b"")
        os.utime(path, (now - hours * 3600, now - hours * 3600))
    store = Store(2023)
    try:
        store.persistent()
    finally:
        store.close()
    names = {p.stem for p in folder.glob("*.duckdb")}
    return sorted("NEW" if n == store.path.stem else n for n in names)


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setattr(settings, "STAGING_DIR", tmp_path)
    monkeypatch.setattr(settings, "STAGING_KEEP_HOURS", 24)
    return tmp_path


def test_a_staging_removes_the_year_s_old_files_and_keeps_young_ones(folder):
    ages = {"2023-old": 48, "2023-older": 72, "2023-young": 0.1, "2022-old": 48}
    assert files_left_by_a_staging_of_2023(folder, ages) == ["2022-old", "2023-young", "NEW"]


def test_the_newest_earlier_file_stays_however_old(folder):
    ages = {"2023-a": 72, "2023-b": 48}
    assert files_left_by_a_staging_of_2023(folder, ages) == ["2023-b", "NEW"]
