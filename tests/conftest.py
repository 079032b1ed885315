"""Shared fixtures: the repository's folders and the bundled seed year."""

import os
import tempfile
from pathlib import Path

import pytest

# Outputs that a test does not place itself go to a scratch folder, never into the
# repository (set before pipelines.settings is imported; subprocesses inherit it).
_SCRATCH = Path(tempfile.mkdtemp(prefix="jixiao-tests-"))
os.environ.setdefault("JIXIAO_REPORTS_DIR", str(_SCRATCH / "reports"))
os.environ.setdefault("JIXIAO_WAREHOUSE", str(_SCRATCH / "warehouse" / "jixiao.duckdb"))
os.environ.setdefault("JIXIAO_STAGING_DIR", str(_SCRATCH / "warehouse" / ".staging"))
os.environ.setdefault("JIXIAO_DOCUMENTS_DIR", str(_SCRATCH / "documents"))
# as pipelines/__init__.py says, before a test module imports openpyxl ahead of pipelines
os.environ.setdefault("OPENPYXL_LXML", "False")

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "raw"  # the bundled sample years (generated; BJ-FAO 2023 real)
SEED_RAW = RAW / "seed"  # the seed department alone, as transcribed
RUBRICS = ROOT / "rubrics"
GOLDEN = ROOT / "tests" / "golden" / "seed-2023-expected.yaml"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT
