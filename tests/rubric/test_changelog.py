"""A rubric file cannot change without an entry in rubrics/CHANGELOG.md naming its hash."""

import hashlib
import re

import pytest

from tests.conftest import RUBRICS

CHANGELOG = (RUBRICS / "CHANGELOG.md").read_text("utf-8")
FILES = sorted(RUBRICS.glob("*/*.yaml"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_rubric_file_version_has_a_changelog_entry(path):
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    rubric_id = f"{path.parent.name}/{path.stem}"
    entries = [h for h in re.findall(r"^## .*$", CHANGELOG, re.M) if rubric_id in h]
    assert any(digest in h for h in entries), (
        f"{rubric_id} changed (sha256 {digest}) without an entry in rubrics/CHANGELOG.md: "
        f"add a '## <date> — {rubric_id} … (sha256 {digest})' entry saying what changed"
    )


def test_the_changelog_names_no_rubric_that_does_not_exist():
    named = set(re.findall(r"\b([a-z][a-z0-9_]*/\d{4})\b", CHANGELOG))
    assert named <= {f"{p.parent.name}/{p.stem}" for p in FILES}
