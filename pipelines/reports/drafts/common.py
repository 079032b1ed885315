"""What every kind of draft rule shares: its sentences' keys, the chunk of departments
its query reads, and the figures its sentences cite."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from pydantic import field_validator, model_validator

from pipelines.messages import DEFAULT, catalog, say
from pipelines.rubric import errors
from pipelines.rubric.base import Strict


class Invalid(errors.Invalid):
    """A draft rule's own complaint: ``draft.model.<key>`` of the catalog."""

    AREA = "draft.model"


class DraftRule(Strict):
    """A rule of rubrics/drafts/…: the catalog keys of its sentences (``draft.*``) and
    the reference of its thresholds; each kind adds its ``kind`` and parameters."""

    problem: str | None = None  # catalog key of the 存在的问题 sentence (one per item)
    suggestion: str | None = None  # catalog key of the 措施建议 sentence (one per rule)
    reference: str

    @field_validator("problem", "suggestion")
    @classmethod
    def _in_the_catalog(cls, key: str | None) -> str | None:
        if key is not None and key not in catalog(DEFAULT):
            raise Invalid("no_message", key=key)
        return key

    @model_validator(mode="after")
    def _says_something(self):
        if self.problem is None and self.suggestion is None:
            raise Invalid("says_nothing")
        return self


class _Chunk:
    def __repr__(self) -> str:
        return "CHUNK"


# In a query's parameters: the chunk's year, department codes and their first and last
# (``year = ? AND {in_chunk}``), as ``data.CHUNK`` reads a chunk: the list is pushed
# into the scan, the range prunes by min/max when a table is stored in code order.
CHUNK: Final = _Chunk()
LIST = "CAST(? AS VARCHAR[])"  # a list parameter, typed even when empty


def in_chunk(alias: str = "") -> str:
    """The condition that keeps the chunk's departments (its parameters: CHUNK's, after
    the year)."""
    return f"list_contains(?, {alias}dept_code) AND {alias}dept_code BETWEEN ? AND ?"


def parameters(template: list, chunk: list) -> list:
    """A query's parameters with ``chunk`` ([year, codes, least, greatest]) at each CHUNK."""
    out = []
    for item in template:
        out += chunk if item is CHUNK else [item]
    return out


@dataclass(frozen=True)
class Place:
    """Whose evidence row is read: the department, the year, and the derivation of each
    of its scored lines (line code → the why of a line that lost points)."""

    dept: str
    year: int
    why: Mapping[str, str]

    @property
    def key(self) -> str:
        return f"year={self.year};dept_code={self.dept}"


@dataclass(frozen=True)
class Evidence:
    """A figure a sentence cites: what it is (``label``, shown), its printed value, and
    where it is read (``source`` view or table, ``key`` as ``column=value;…``,
    ``column``), which a reader (and the tests) can look up in the warehouse."""

    label: str
    value: str
    source: str
    key: str
    column: str

    @property
    def shown(self) -> str:
        return say("draft.figure", label=self.label, value=self.value)


def evidence(key: str, value: str, source: str, where: str, column: str, **params) -> Evidence:
    """A figure labelled by ``draft.evidence.<key>`` (filled with ``params``)."""
    return Evidence(say(f"draft.evidence.{key}", **params), value, source, where, column)
