"""A rubric as a flat list of parameters: key path, value, and the reference that
applies to it (the nearest ``reference`` above it, else the rubric's ``source``).

The warehouse keeps these per rubric version (parameter history), and ``diff``
compares two rubrics through them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from pipelines.rubric.model import Rubric

# Descriptive keys: they document a value, they are not one.
TEXT_KEYS = {"reference", "name", "title", "source"}


@dataclass(frozen=True)
class Parameter:
    path: str
    value: str
    reference: str


def parameters(rubric: Rubric) -> list[Parameter]:
    data = rubric.model_dump(mode="json", exclude={"extends"})
    return list(_walk(data, "", data.get("source", "")))


def _walk(node: object, path: str, reference: str) -> Iterator[Parameter]:
    if isinstance(node, dict):
        reference = node.get("reference", reference)
        for key, value in node.items():
            if key not in TEXT_KEYS:
                yield from _walk(value, f"{path}.{key}" if path else key, reference)
    elif isinstance(node, list):
        if all(not isinstance(v, dict | list) for v in node):
            yield Parameter(path, ", ".join(map(str, node)), reference)
        else:
            for i, value in enumerate(node):
                yield from _walk(value, f"{path}[{i}]", reference)
    else:
        yield Parameter(path, _text(node), reference)


def _text(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def names(rubric: Rubric) -> dict[str, str]:
    """Key path of each section, group and line → its display name (for people)."""
    out = {}
    for s_code, s in rubric.sections.items():
        out[f"sections.{s_code}"] = s.name
        for g_code, g in s.groups.items():
            out[f"sections.{s_code}.groups.{g_code}"] = g.name
            for code, line in g.lines.items():
                out[f"sections.{s_code}.groups.{g_code}.lines.{code}"] = line.name
        for code, line in s.lines.items():
            out[f"sections.{s_code}.lines.{code}"] = line.name
    return out
