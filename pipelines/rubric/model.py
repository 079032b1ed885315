"""The rubric tree: sections (一级指标) → groups (二级指标) → lines (三级指标).

A group's lines are either fixed by the rubric or declared by each department in
its ``indicators`` extract (``declared: true``), scored by ``indicator_rules``.
Validation refuses weights that do not add up, duplicate line codes and grade
bands that do not start at 0.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar, Literal

from pydantic import Field, model_validator

from pipelines.rubric.base import Code, RuleFile, Strict
from pipelines.rubric.errors import Invalid
from pipelines.rubric.rules import FixedRule, IndicatorRules, Measure, Percent, Points

# sum: the children's scores add up; weakest_link: the node scores its weight × the
# lowest share any child achieved (PEFA's M1).
Aggregation = Literal["sum", "weakest_link"]


class Line(Strict):
    name: str
    weight: Points
    reference: str
    rule: FixedRule


class Group(Strict):
    name: str
    weight: Points
    reference: str
    declared: bool = False
    aggregation: Aggregation = "sum"
    lines: dict[Code, Line] = {}

    @model_validator(mode="after")
    def _lines_or_declared(self):
        if self.declared and self.lines:
            raise Invalid("declared_with_lines")
        if not self.declared:
            _sums_to(self.weight, [line.weight for line in self.lines.values()], "lines")
        return self


class Section(Strict):
    name: str
    weight: Points
    reference: str
    aggregation: Aggregation = "sum"
    groups: dict[Code, Group] = {}
    lines: dict[Code, Line] = {}

    @model_validator(mode="after")
    def _weights_add_up(self):
        parts = [g.weight for g in self.groups.values()] + [x.weight for x in self.lines.values()]
        _sums_to(self.weight, parts, "groups_and_lines")
        return self


class Numbers(Strict):
    rate_places: int = Field(ge=0, le=4)
    score_places: int = Field(ge=0, le=2)
    rounding: Literal["half_up"]
    reference: str


class GradeBound(Strict):
    grade: str
    min_total: Points


class Grades(Strict):
    reference: str
    bands: list[GradeBound] = Field(min_length=1)

    @model_validator(mode="after")
    def _descending_to_zero(self):
        mins = [b.min_total for b in self.bands]
        if mins != sorted(set(mins), reverse=True) or mins[-1] != 0:
            raise Invalid("grade_bands")
        return self


class TotalCap(Strict):
    """When a derived rate lies in [min_pct, below_pct), the total is capped at ``cap``
    (e.g. execution 70–80% caps the total at 89)."""

    measure: Measure
    min_pct: Percent = Decimal(0)
    below_pct: Percent
    cap: Points
    reference: str

    @model_validator(mode="after")
    def _range(self):
        if not self.min_pct < self.below_pct:
            raise Invalid("cap_range")
        return self


@dataclass(frozen=True)
class PlacedLine:
    """A fixed line with its place in the tree."""

    code: str
    section: str
    group: str | None
    line: Line


class Rubric(RuleFile):
    """``rubrics/<jurisdiction>/<year>.yaml``: the scoring table of one jurisdiction's
    fiscal year."""

    FAMILY: ClassVar[str] = "rubric"
    FOLDER: ClassVar[str] = ""
    TREE_KEYS: ClassVar[frozenset[str]] = frozenset({"sections", "groups", "lines"})

    total_weight: Points
    numbers: Numbers
    grades: Grades
    indicator_rules: IndicatorRules | None = None
    total_caps: list[TotalCap] = []
    sections: dict[Code, Section] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self):
        _sums_to(self.total_weight, [s.weight for s in self.sections.values()], "sections")
        seen: dict[str, str] = {}
        for placed in self.fixed_lines():
            where = f"{placed.section}.{placed.group or '-'}"
            if placed.code in seen:
                raise Invalid(
                    "line_code_twice", code=placed.code, first=seen[placed.code], second=where
                )
            seen[placed.code] = where
        if self.declared_groups() and self.indicator_rules is None:
            raise Invalid("declared_need_rules")
        return self

    def fixed_lines(self) -> Iterator[PlacedLine]:
        for s_code, section in self.sections.items():
            for code, line in section.lines.items():
                yield PlacedLine(code, s_code, None, line)
            for g_code, group in section.groups.items():
                for code, line in group.lines.items():
                    yield PlacedLine(code, s_code, g_code, line)

    def declared_groups(self) -> dict[str, tuple[str, Group]]:
        """group code → (section code, group) for groups whose lines departments declare."""
        return {
            g_code: (s_code, group)
            for s_code, section in self.sections.items()
            for g_code, group in section.groups.items()
            if group.declared
        }

    def checklist_criteria(self) -> dict[str, int]:
        """line code → number of criteria, for checklist lines."""
        return {
            p.code: len(p.line.rule.criteria)
            for p in self.fixed_lines()
            if p.line.rule.kind == "checklist"
        }


def _sums_to(total: Decimal, parts: list[Decimal], what: str) -> None:
    """``what``: lines, groups_and_lines or sections (a label under rubric.parts)."""
    added = sum(parts, Decimal(0))
    if added != total:
        raise Invalid("weights", parts=what, added=added, total=total)
