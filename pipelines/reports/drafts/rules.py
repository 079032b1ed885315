"""The draft rules of a jurisdiction and year: ``rubrics/drafts/<jurisdiction>/<year>.yaml``,
a family of rule files read by the rubrics' loader (``extends``, hash, changelog)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import ClassVar

from pipelines import settings
from pipelines.reports.drafts.kinds import rule_type
from pipelines.rubric.base import RuleFile
from pipelines.rubric.files import content_hash, file_path, find, load_file

FOLDER = "drafts"
Rule = rule_type()


class DraftRules(RuleFile):
    """Rules by id, in the order of their sentences."""

    FAMILY: ClassVar[str] = "drafts"
    FOLDER: ClassVar[str] = FOLDER

    rules: dict[str, Rule]


@dataclass(frozen=True)
class RulesInUse:
    rules: DraftRules
    hash: str
    path: str  # as shown: rubrics/drafts/beijing/2023.yaml


def rules_path(rubrics_dir: Path | str, jurisdiction: str, year: int) -> Path:
    return file_path(DraftRules, rubrics_dir, jurisdiction, year)


def load_rules(path: Path | str, rubrics_dir: Path | str | None = None) -> DraftRules:
    """Read and validate one rules file (``extends`` applied); ``RubricError`` lists
    every problem, a message key missing from the catalog among them."""
    return load_file(DraftRules, path, rubrics_dir)


@cache
def rules_for(rubrics_dir: str, jurisdiction: str, year: int) -> RulesInUse | None:
    """The rules of a jurisdiction and year; None when there is no file (the report
    then says so). A file that cannot be used raises ``RubricError``."""
    rules = find(DraftRules, rubrics_dir, jurisdiction, int(year))
    if rules is None:
        return None
    shown = rules_path(Path(settings.RUBRICS_DIR).name, jurisdiction, year).as_posix()
    return RulesInUse(rules, content_hash(rules), shown)
