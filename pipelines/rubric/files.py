"""One loader for every rule file under rubrics/: rubrics, draft rules, review rules.

``load_file(Family, path)`` reads a file, applies its ``extends`` chain and validates
it with the family's model (a ``RuleFile``); every problem is a ``RubricError`` naming
the file and the key path, worded by the catalog. ``find`` looks a jurisdiction's file
of a year up; ``content_hash`` is what a run records of the file it used.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import TypeVar

from pydantic import ValidationError

from pipelines.rubric.base import RuleFile
from pipelines.rubric.errors import RubricError, _say
from pipelines.rubric.extends import resolve
from pipelines.rubric.problems import validation_problem

F = TypeVar("F", bound=RuleFile)


def file_path(family: type[RuleFile], rubrics_dir: Path | str, jurisdiction: str, year) -> Path:
    """``<rubrics_dir>/<FOLDER>/<jurisdiction>/<year>.yaml``."""
    return Path(rubrics_dir) / f"{family.id_of(jurisdiction, int(year))}.yaml"


def home(family: type[RuleFile], path: Path) -> Path:
    """The rubrics/ folder a file of the family lies in (its ``extends`` resolve there)."""
    for _ in range(len(Path(family.FOLDER).parts) + 2):
        path = path.parent
    return path


def load_file(family: type[F], path: Path | str, rubrics_dir: Path | str | None = None) -> F:
    """Read and validate one file of ``family``; raise ``RubricError`` listing every
    problem. ``extends: <id>`` reads ``<rubrics_dir>/<id>.yaml`` (by default the
    rubrics/ folder the file lies in) and applies this file's keys over it."""
    path = Path(path)
    rubrics_dir = Path(rubrics_dir) if rubrics_dir else home(family, path)
    return validate(family, path, resolve(family, path, rubrics_dir))


def validate(family: type[F], path: Path | str, data: dict) -> F:
    """``data`` (a file's content, ``extends`` resolved) as the family's model."""
    try:
        return family.model_validate(data)
    except ValidationError as exc:
        problems = [validation_problem(err, family.FAMILY) for err in exc.errors()]
        raise RubricError(path, problems) from None


def find(family: type[F], rubrics_dir: Path | str, jurisdiction: str, year: int) -> F | None:
    """The jurisdiction's file of the year, validated; None when there is none. A file
    whose ``id`` is not its place is refused, as an unusable one is."""
    path = file_path(family, rubrics_dir, jurisdiction, year)
    if not path.is_file():
        return None
    found = load_file(family, path, rubrics_dir)
    place = family.id_of(jurisdiction, int(year))
    if found.id != place:
        raise RubricError(path, [("id", _say("load.misplaced", place=place, id=found.id))])
    return found


def content_hash(rule_file: RuleFile) -> str:
    """sha256 of the file's content, ``extends`` resolved: independent of layout,
    comments and key order, so a parent's change is a new version of its children."""
    canonical = json.dumps(rule_file.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
