"""One module per rule kind, found by its ``KIND``; each scores every department at once.

Every module has the same three functions:

- ``lines(rule, scope) -> str``: a SELECT with named columns (a subset of
  ``pipelines.scoring.facts.LINE_COLUMNS``; the engine inserts it ``BY NAME``);
- ``findings(rule, scope) -> list[str]``: SELECTs of ``FINDING_COLUMNS`` (maybe none);
- ``constants(rule, scope) -> dict``: the rubric parameters its sentences show, kept once
  per rubric version (``pipelines.scoring.facts.RULE_CONSTANTS``), not on every line.

They read the temp relations the engine prepares: ``scope`` (departments scored with
this rubric), ``rubric_lines`` and the other ``rubric_*`` tables, the ``stg_*`` staged
tables and ``prior_budget`` (last year's, maybe empty). A fixed line's kind gets the
line in ``scope.line``; a declared kind (indicator lines) gets ``scope.line = None``.
Adding a kind is adding a module here, its model in ``pipelines.rubric.rules``, and its
templates (``line.<part>``, ``line.target.<kind>``, ``line.actual.<kind>``) in every
language of ``pipelines/messages``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from types import ModuleType

from pipelines.rubric import Rubric
from pipelines.rubric.kinds import find_kinds
from pipelines.rubric.model import PlacedLine

FINDING_COLUMNS = "dept_code, line_code, severity, code, params"


@dataclass(frozen=True)
class Scope:
    """What a rule kind's SQL may depend on besides its own rule."""

    rubric: Rubric
    year: int
    line: PlacedLine | None = None

    @property
    def score_places(self) -> int:
        return int(self.rubric.numbers.score_places)

    @property
    def rate_places(self) -> int:
        return int(self.rubric.numbers.rate_places)


@cache
def registry() -> dict[str, ModuleType]:
    """rule kind → the module that scores it (found as every rule family's kinds are)."""
    return find_kinds(__name__)


def rule_module(kind: str) -> ModuleType:
    try:
        return registry()[kind]
    except KeyError:  # the rubric schema admits no other kind; a new one needs a module
        raise NotImplementedError(f"no module in pipelines/scoring/rules scores {kind!r}") from None
