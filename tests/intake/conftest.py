"""The seed report in three formats (tests/fixtures/intake, made by its make_fixtures.py)
and a raw folder to write into: a copy of raw/2023, so the repository's is never touched."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from tests.conftest import RAW, ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "intake"
SEED = "fao-2023-self-evaluation"
FORMATS = ("txt", "docx", "pdf")


def seed_report(fmt: str) -> Path:
    return FIXTURES / f"{SEED}.{fmt}"


@pytest.fixture
def raw_dir(tmp_path) -> Path:
    """raw/2023 copied to a fresh folder (BJ-FAO and the synthetic departments)."""
    shutil.copytree(RAW / "2023", tmp_path / "raw" / "2023")
    return tmp_path / "raw"


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def of(dept: str, path: Path) -> dict[str, dict[str, str]]:
    """A department's self_reported rows by line_code."""
    return {r["line_code"]: r for r in rows(path) if r["dept_code"] == dept}
