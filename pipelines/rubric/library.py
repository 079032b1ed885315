"""Finding the rubric of a jurisdiction and year under rubrics/."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

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
            raise RubricMissing(
                path,
                [
                    (
                        "",
                        f"no rubric for jurisdiction {jurisdiction!r} in {year}; "
                        f"write {path} (nothing reuses another year's rubric)",
                    )
                ],
            )
        rubric = load_rubric(path, self.dir)
        if (rubric.jurisdiction, rubric.year) != (jurisdiction, year):
            raise RubricError(
                path, [("id", f"file is at {jurisdiction}/{year} but says {rubric.id}")]
            )
        return RubricInUse(rubric, content_hash(rubric))

    def get(self, jurisdiction: str, year: int) -> RubricInUse:
        return self._get(jurisdiction, year)
