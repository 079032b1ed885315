"""Loading a rubric file: safe YAML, exact decimals, every problem named by key path."""

from __future__ import annotations

import hashlib
import json
import re
from decimal import Decimal
from pathlib import Path

import yaml
from pydantic import ValidationError

from pipelines.rubric.model import Rubric


class RubricError(Exception):
    """A rubric that cannot be used. ``problems`` holds one (key path, message) per problem."""

    def __init__(self, file: Path | str, problems: list[tuple[str, str]]):
        self.file = str(file)
        self.problems = problems
        lines = [
            f"{self.file}: {path}: {msg}" if path else f"{self.file}: {msg}"
            for path, msg in problems
        ]
        super().__init__("\n".join(lines))


class RubricMissing(RubricError):
    """No rubric file for a jurisdiction and year."""


class _Loader(yaml.SafeLoader):
    """SafeLoader that reads decimals exactly and refuses duplicate keys."""


def _decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal:
    return Decimal(loader.construct_scalar(node).replace("_", ""))


def _mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: dict = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen[key] = True
    return loader.construct_mapping(node, deep=deep)


_Loader.add_constructor("tag:yaml.org,2002:float", _decimal)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def rubric_path(rubrics_dir: Path, jurisdiction: str, year: int) -> Path:
    return Path(rubrics_dir) / jurisdiction / f"{year}.yaml"


def read_yaml(path: Path) -> dict:
    try:
        data = yaml.load(Path(path).read_text("utf-8"), Loader=_Loader)
    except FileNotFoundError:
        raise RubricError(path, [("", "no such rubric file")]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else ""
        raise RubricError(path, [(where, str(getattr(exc, "problem", exc)))]) from None
    if not isinstance(data, dict):
        raise RubricError(path, [("", "a rubric file must be a mapping at the top level")])
    return data


def load_rubric(path: Path | str, rubrics_dir: Path | str | None = None) -> Rubric:
    """Read and validate one rubric file; raise ``RubricError`` listing every problem.

    ``extends: beijing/2023`` reads ``<rubrics_dir>/beijing/2023.yaml`` (by default the
    folder two levels above the file) and applies this file's keys over it.
    """
    path = Path(path)
    rubrics_dir = Path(rubrics_dir) if rubrics_dir else path.parent.parent
    data = resolve(path, rubrics_dir, chain=())
    try:
        return Rubric.model_validate(data)
    except ValidationError as exc:
        raise RubricError(path, [_problem(err) for err in exc.errors()]) from None


# Mappings whose keys are codes of the rubric tree: a key new to the parent adds an
# entry, which must then be complete; `null` removes the parent's entry.
TREE_KEYS = {"sections", "groups", "lines"}


def resolve(path: Path, rubrics_dir: Path, chain: tuple[str, ...]) -> dict:
    """The file's content with its ``extends`` chain applied (the parent first)."""
    data = read_yaml(path)
    parent_id = data.get("extends")
    if parent_id is None:
        return data
    if not isinstance(parent_id, str) or parent_id in chain:
        raise RubricError(path, [("extends", f"cannot extend {parent_id!r} (a cycle?)")])
    parent_path = rubrics_dir / f"{parent_id}.yaml"
    if not parent_path.is_file():
        raise RubricError(path, [("extends", f"no rubric {parent_id!r} at {parent_path}")])
    parent = resolve(parent_path, rubrics_dir, (*chain, parent_id))
    parent.pop("extends", None)
    problems: list[tuple[str, str]] = []
    merged = merge(parent, data, "", problems, parent_id)
    if problems:
        raise RubricError(path, problems)
    return merged


def merge(base: dict, patch: dict, where: str, problems: list, parent_id: str) -> dict:
    out = dict(base)
    container = where.rsplit(".", 1)[-1] in TREE_KEYS
    for key, value in patch.items():
        loc = f"{where}.{key}" if where else str(key)
        if value is None:
            if key not in out:
                problems.append((loc, f"removes an entry that {parent_id} does not have"))
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value, loc, problems, parent_id)
        else:
            if container and key not in out and isinstance(value, dict) and "name" not in value:
                problems.append(
                    (
                        loc,
                        f"is not in {parent_id}: a new entry needs name, "
                        "weight, reference and its lines or rule",
                    )
                )
            out[key] = value
    return out


def _problem(err: dict) -> tuple[str, str]:
    loc = ".".join(str(p) for p in err["loc"])
    msg = err["msg"].removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        msg = "unknown key"
    elif err["type"] == "union_tag_invalid":
        msg = (
            f"unknown rule kind {err['input'].get('kind')!r}; known: {err['ctx']['expected_tags']}"
        )
    return loc, msg


def content_hash(rubric: Rubric) -> str:
    """sha256 of the rubric's content, independent of layout, comments and key order."""
    canonical = json.dumps(rubric.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


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
    data = resolve(path, Path(rubrics_dir), chain=())
    problems = []
    for change in sets:
        key, sep, text = change.partition("=")
        if not sep:
            problems.append((change, "a change is written key.path=value"))
            continue
        try:
            _set(data, key.strip(), yaml.load(text, Loader=_Loader))  # _Loader is a SafeLoader
        except (KeyError, IndexError, TypeError) as exc:
            problems.append((key, f"no such key in {path.stem}: {exc}"))
    if problems:
        raise RubricError(path, problems)
    try:
        return Rubric.model_validate(data)
    except ValidationError as exc:
        raise RubricError(path, [_problem(err) for err in exc.errors()]) from None


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
