"""Shared fixtures: the repository's folders, and warehouses scored once per session."""

import fcntl
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

# Outputs that a test does not place itself go to a scratch folder, never into the
# repository (set before pipelines.settings is imported; subprocesses inherit it).
_SCRATCH = Path(tempfile.mkdtemp(prefix="jixiao-tests-"))
os.environ.setdefault("JIXIAO_REPORTS_DIR", str(_SCRATCH / "reports"))
os.environ.setdefault("JIXIAO_WAREHOUSE", str(_SCRATCH / "warehouse" / "jixiao.duckdb"))
os.environ.setdefault("JIXIAO_STAGING_DIR", str(_SCRATCH / "warehouse" / ".staging"))
os.environ.setdefault("JIXIAO_DOCUMENTS_DIR", str(_SCRATCH / "documents"))

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "raw"  # the bundled sample years (generated; BJ-FAO 2023 real)
SEED_RAW = RAW / "seed"  # the seed department alone, as transcribed
RUBRICS = ROOT / "rubrics"
GOLDEN = ROOT / "tests" / "golden" / "seed-2023-expected.yaml"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


# -- built once per test run ----------------------------------------------------------
# Warehouses scored by the real pipeline (pipelines.annual.run_year) the first time a
# test asks for one. Tests read them; a test that changes one works on its own copy
# (shutil.copy).


def once(tmp_path_factory, name: str, build: Callable[[Path], Path]) -> Path:
    """``build(folder)``'s result, built once for the whole test run: with pytest-xdist,
    the first worker to ask builds it in the run's shared temporary folder while the
    others wait, then all read the same files."""
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return build(tmp_path_factory.mktemp(name))
    shared = tmp_path_factory.getbasetemp().parent  # the run's folder, above each worker's
    with open(shared / f"{name}.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            done = shared / f"{name}.built"  # the result's path, written once it is whole
            if done.exists():
                return Path(done.read_text("utf-8"))
            folder = shared / name
            shutil.rmtree(folder, ignore_errors=True)  # a build that failed part way
            folder.mkdir()
            result = build(folder)
            done.write_text(str(result), "utf-8")
            return result
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _scored(raw: Path, years: list[int], base: Path | None = None) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        from pipelines.annual import run_year  # after the environment above is set

        path = folder / "w.duckdb"
        if base is not None:  # the years of ``base`` are scored already
            shutil.copy(base, path)
        for year in years:
            run_year(raw, RUBRICS, path, year, run_id=f"run-{year}")
        return path

    return build


@pytest.fixture(scope="session")
def seed_2023(tmp_path_factory) -> Path:
    """The seed department's 2023 (raw/seed) scored, run ``run-2023``."""
    return once(tmp_path_factory, "seed-2023", _scored(SEED_RAW, [2023]))


@pytest.fixture(scope="session")
def bundled_2023(tmp_path_factory) -> Path:
    """raw/2023 alone scored (its carryover compares with the extracts' prior_* columns)."""
    return once(tmp_path_factory, "bundled-2023", _scored(RAW, [2023]))


@pytest.fixture(scope="session")
def bundled_2022_2023(tmp_path_factory) -> Path:
    """raw/2022, then raw/2023 (which compares with 2022: ranks change), scored."""
    return once(tmp_path_factory, "bundled-2022-2023", _scored(RAW, [2022, 2023]))


@pytest.fixture(scope="session")
def bundled_2022_2024(tmp_path_factory, bundled_2022_2023) -> Path:
    """Every bundled year scored in order: ``bundled_2022_2023``, then raw/2024."""
    build = _scored(RAW, [2024], base=bundled_2022_2023)
    return once(tmp_path_factory, "bundled-2022-2024", build)
