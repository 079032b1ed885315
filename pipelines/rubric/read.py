"""Reading a rule file's YAML: safe, decimals exact, duplicate keys refused."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import yaml

from pipelines.messages import Message
from pipelines.rubric.errors import RubricError, _say


class _Loader(yaml.SafeLoader):
    """SafeLoader that reads decimals exactly and refuses duplicate keys."""


class _DuplicateKey(yaml.constructor.ConstructorError):
    def __init__(self, key: object, mark: yaml.Mark):
        super().__init__(None, None, f"duplicate key {key!r}", mark)
        self.key = key


def _decimal(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Decimal:
    return Decimal(loader.construct_scalar(node).replace("_", ""))


def _mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: dict = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise _DuplicateKey(key, key_node.start_mark)
        seen[key] = True
    return loader.construct_mapping(node, deep=deep)


_Loader.add_constructor("tag:yaml.org,2002:float", _decimal)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def read_yaml(path: Path | str, family: str = "rubric") -> dict:
    """The file's mapping as written (no ``extends`` applied); ``family`` names the kind
    of file in its problems (``rubric.family.<family>``)."""
    try:
        data = yaml.load(Path(path).read_text("utf-8"), Loader=_Loader)
    except FileNotFoundError:
        raise RubricError(path, [("", _say("load.no_file", family=family))]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = _say("load.at_line", line=mark.line + 1) if mark else ""
        raise RubricError(path, [(where, _yaml_problem(exc, family))]) from None
    if not isinstance(data, dict):
        raise RubricError(path, [("", _say("load.not_mapping", family=family))])
    return data


def read_value(text: str) -> object:
    """One value as a rule file would hold it (``--set key=value``); ``yaml.YAMLError``
    when it cannot be read."""
    return yaml.load(text, Loader=_Loader)  # _Loader is a SafeLoader


def problem_text(exc: yaml.YAMLError) -> str:
    return str(getattr(exc, "problem", None) or exc)


_TAG = re.compile(r"could not determine a constructor for the tag (.*)")


def _yaml_problem(exc: yaml.YAMLError, family: str) -> Message:
    if isinstance(exc, _DuplicateKey):
        return _say("load.duplicate_key", key=repr(exc.key))
    problem = problem_text(exc)
    if m := _TAG.fullmatch(problem):
        return _say("load.yaml_tag", tag=m.group(1), family=family)
    return _say("load.yaml", problem=problem)
