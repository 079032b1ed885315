"""Fixtures: a writable copy of raw/2023 per test, and the untouched seed year staged."""

from __future__ import annotations

import pytest

from tests.ingest.support import Extracts, seed_staged


@pytest.fixture
def extracts(tmp_path) -> Extracts:
    return Extracts(tmp_path)


@pytest.fixture(scope="session")
def seed():
    staged = seed_staged()
    assert staged.rejected.empty and staged.findings.empty, "the bundled year must stage clean"
    return staged
