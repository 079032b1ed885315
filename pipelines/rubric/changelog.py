"""rubrics/CHANGELOG.md: no rule file changes without an entry naming its new version.

Every file under rubrics/ (a rubric, draft rules, review rules: any family) is named by
its id, its path without ``.yaml`` (``beijing/2023``, ``drafts/beijing/2023``); a
version is the first 12 hex digits of the file's sha256 (``sha256sum FILE | cut
-c1-12``), so that an author can write it down without running anything. An entry's
heading (``## <date> — <ids> … (sha256 <digests>)``) names the ids and the digests.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from pipelines.messages import Message

NAME = "CHANGELOG.md"
DIGITS = 12
_ID = re.compile(r"\b((?:[a-z][a-z0-9_]*/)+\d{4})\b")
_HEADING = re.compile(r"^## .*$", re.M)


def digest(path: Path | str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:DIGITS]


def rule_files(rubrics_dir: Path | str) -> dict[str, Path]:
    """id → path of every rule file under ``rubrics_dir``, whatever its family."""
    root = Path(rubrics_dir)
    return {p.relative_to(root).with_suffix("").as_posix(): p for p in sorted(root.rglob("*.yaml"))}


def entries(text: str) -> list[tuple[set[str], str]]:
    """(ids named, heading) of each entry."""
    return [(set(_ID.findall(h)), h) for h in _HEADING.findall(text)]


def unlisted(rubrics_dir: Path | str) -> dict[str, str]:
    """id → digest of each file whose current version no entry names."""
    text = (Path(rubrics_dir) / NAME).read_text("utf-8")
    found = entries(text)
    out = {}
    for file_id, path in rule_files(rubrics_dir).items():
        version = digest(path)
        if not any(file_id in ids and version in heading for ids, heading in found):
            out[file_id] = version
    return out


def unknown(rubrics_dir: Path | str) -> list[str]:
    """The ids the changelog names that are no file's."""
    text = (Path(rubrics_dir) / NAME).read_text("utf-8")
    return sorted(set(_ID.findall(text)) - rule_files(rubrics_dir).keys())


def problems(rubrics_dir: Path | str) -> list[Message]:
    """What keeps the changelog from telling every file's version, in the catalog's words."""
    out = [
        Message("rubric.changelog.unlisted", id=file_id, digest=version)
        for file_id, version in unlisted(rubrics_dir).items()
    ]
    out += [Message("rubric.changelog.unknown", id=file_id) for file_id in unknown(rubrics_dir)]
    return out
