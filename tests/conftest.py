"""Shared fixtures: the repository's folders and the bundled seed year."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "raw"  # the bundled sample years (generated; BJ-FAO 2023 real)
SEED_RAW = RAW / "seed"  # the seed department alone, as transcribed
RUBRICS = ROOT / "rubrics"
GOLDEN = ROOT / "tests" / "golden" / "seed-2023-expected.yaml"


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT
