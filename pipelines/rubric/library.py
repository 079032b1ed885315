"""Finding the rubric of a jurisdiction and year under rubrics/."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipelines.messages import Message
from pipelines.rubric.load import (
    RubricError,
    RubricMissing,
    content_hash,
    load_rubric,
    rubric_path,
)
from pipelines.rubric.model import Rubric


@dataclass(frozen=True)
class RubricInUse:
    """A validated rubric with the content hash that every score row records."""

    rubric: Rubric
    hash: str


class RubricLibrary:
    """``rubrics/<jurisdiction>/<year>.yaml``. A missing file is an error, never a fallback."""

    def __init__(self, rubrics_dir: Path | str):
        self.dir = Path(rubrics_dir)
        self._get = cache(self._load)

    def _load(self, jurisdiction: str, year: int) -> RubricInUse:
        path = rubric_path(self.dir, jurisdiction, year)
        if not path.is_file():
            why = Message("rubric.load.no_rubric", jurisdiction=jurisdiction, year=year, path=path)
            raise RubricMissing(path, [("", why)])
        rubric = load_rubric(path, self.dir)
        if (rubric.jurisdiction, rubric.year) != (jurisdiction, year):
            why = Message(
                "rubric.load.misplaced", jurisdiction=jurisdiction, year=year, id=rubric.id
            )
            raise RubricError(path, [("id", why)])
        return RubricInUse(rubric, content_hash(rubric))

    def get(self, jurisdiction: str, year: int) -> RubricInUse:
        return self._get(jurisdiction, year)
