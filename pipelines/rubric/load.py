"""Loading a rubric: the rule-file loader (``pipelines.rubric.files``) for the family
``Rubric``, and a rubric's variants (``--set key.path=value``) for what-if runs."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from pipelines.rubric import extends
from pipelines.rubric.errors import RubricError, RubricMissing, _say
from pipelines.rubric.files import content_hash, file_path, load_file, validate
from pipelines.rubric.model import Rubric
from pipelines.rubric.problems import validation_problem
from pipelines.rubric.read import problem_text, read_value, read_yaml

__all__ = [
    "TREE_KEYS",
    "RubricError",
    "RubricMissing",
    "content_hash",
    "load_rubric",
    "load_variant",
    "merge",
    "read_yaml",
    "resolve",
    "rubric_file",
    "rubric_path",
    "validation_problem",
]

TREE_KEYS = Rubric.TREE_KEYS


def rubric_path(rubrics_dir: Path, jurisdiction: str, year: int) -> Path:
    return file_path(Rubric, rubrics_dir, jurisdiction, year)


def load_rubric(path: Path | str, rubrics_dir: Path | str | None = None) -> Rubric:
    """Read and validate one rubric file; raise ``RubricError`` listing every problem.

    ``extends: beijing/2023`` reads ``<rubrics_dir>/beijing/2023.yaml`` (by default the
    folder two levels above the file) and applies this file's keys over it.
    """
    return load_file(Rubric, path, rubrics_dir)


def resolve(path: Path, rubrics_dir: Path, chain: tuple[str, ...] = ()) -> dict:
    """The rubric file's content with its ``extends`` chain applied (the parent first)."""
    return extends.resolve(Rubric, Path(path), Path(rubrics_dir), chain)


def merge(base: dict, patch: dict, where: str, problems: list, parent_id: str) -> dict:
    """``patch`` applied over the rubric content ``base`` as ``extends`` applies it."""
    return extends.merge(base, patch, where, problems, parent_id, TREE_KEYS)


def rubric_file(ref: str | Path, rubrics_dir: Path | str) -> Path:
    """A rubric named by file path or by id (``beijing/2023``)."""
    ref = str(ref)
    if ref.endswith((".yaml", ".yml")):
        return Path(ref)
    return Path(rubrics_dir) / f"{ref}.yaml"


def load_variant(ref: str | Path, rubrics_dir: Path | str, sets: list[str] = ()) -> Rubric:
    """A rubric with ``key.path=value`` changes (``--set``) applied before validation,
    e.g. ``sections.budget_management.lines.budget_final_diff.rule.baseline.value_pct=25``."""
    path = rubric_file(ref, rubrics_dir)
    data = resolve(path, Path(rubrics_dir))
    problems = []
    for change in sets:
        key, sep, text = change.partition("=")
        if not sep:
            problems.append((change, _say("load.set_syntax")))
            continue
        try:
            value = read_value(text)
        except yaml.YAMLError as exc:
            problems.append(
                (key, _say("load.set_bad_value", value=text, problem=problem_text(exc)))
            )
            continue
        try:
            _set(data, key.strip(), value)
        except (KeyError, IndexError, TypeError) as exc:
            problems.append((key, _say("load.set_no_key", rubric=path.stem, detail=exc)))
    if problems:
        raise RubricError(path, problems)
    return validate(Rubric, path, data)


def _set(data: dict, dotted: str, value: object) -> None:
    parts = [p for part in dotted.split(".") for p in re.split(r"\[(\d+)\]", part) if p != ""]
    node = data
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node[part]
    last = parts[-1]
    if isinstance(node, list):
        node[int(last)] = value
    elif last in node:
        node[last] = value
    else:
        raise KeyError(last)
