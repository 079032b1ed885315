"""Loading a rubric file: safe YAML, exact decimals, every problem named by key path."""

from __future__ import annotations

import hashlib
import json
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


def load_rubric(path: Path | str) -> Rubric:
    """Read and validate one rubric file; raise ``RubricError`` listing every problem."""
    path = Path(path)
    data = read_yaml(path)
    try:
        return Rubric.model_validate(data)
    except ValidationError as exc:
        raise RubricError(path, [_problem(err) for err in exc.errors()]) from None


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
