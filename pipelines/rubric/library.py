"""Finding the rubric of a jurisdiction and year under rubrics/."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from pipelines.messages import Message
from pipelines.rubric.errors import RubricMissing
from pipelines.rubric.files import content_hash, file_path, find
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
        rubric = find(Rubric, self.dir, jurisdiction, year)
        if rubric is None:
            path = file_path(Rubric, self.dir, jurisdiction, year)
            why = Message("rubric.load.no_rubric", jurisdiction=jurisdiction, year=year, path=path)
            raise RubricMissing(path, [("", why)])
        return RubricInUse(rubric, content_hash(rubric))

    def get(self, jurisdiction: str, year: int) -> RubricInUse:
        return self._get(jurisdiction, year)
