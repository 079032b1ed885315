"""Fixtures: a writable copy of raw/2023 per test, and the untouched seed year staged."""

from __future__ import annotations

import pytest

from pipelines import settings
from tests.ingest.support import Extracts, seed_staged


@pytest.fixture(autouse=True, params=["python lane", "bulk lane"])
def lane(request, monkeypatch, tmp_path_factory) -> str:
    """Every case runs twice: through pandas alone, and through the bulk lane (DuckDB
    proves rows clean, pandera judges the rest) with every eligible file sent there.
    The expected refusals and messages are the same for both."""
    if request.param == "bulk lane":
        monkeypatch.setattr(settings, "BULK_BYTES", 0)
        monkeypatch.setattr(settings, "STAGING_DIR", tmp_path_factory.mktemp("staging"))
    return request.param


@pytest.fixture
def extracts(tmp_path) -> Extracts:
    return Extracts(tmp_path)


@pytest.fixture(scope="session")
def seed():
    staged = seed_staged()
    assert staged.rejected.empty and staged.findings.empty, "the bundled year must stage clean"
    return staged
