"""Loading a rubric file: safe YAML, exact decimals, every problem named by key path."""

from __future__ import annotations

import hashlib
import json
import re
from decimal import Decimal
from pathlib import Path

import yaml
from pydantic import ValidationError

from pipelines.messages import DEFAULT, Message, catalog
from pipelines.rubric.model import Rubric
from pipelines.rubric.rules import Invalid

Text = str | Message  # a problem's key path or message: catalog message or plain text


class RubricError(Exception):
    """A rubric that cannot be used: one (key path, message) per problem.

    A path or message is a ``Message`` (a catalog key, ``rubric.*``) or plain text;
    ``problems`` and ``str()`` render them in the current language, ``lines(lang)``
    in any: ``FILE: key.path: message``.
    """

    def __init__(self, file: Path | str, problems: list[tuple[Text, Text]]):
        super().__init__(str(file), list(problems))
        self.file = str(file)
        self.issues = list(problems)

    def rendered(self, lang: str | None = None) -> list[tuple[str, str]]:
        return [(_text(path, lang), _text(msg, lang)) for path, msg in self.issues]

    @property
    def problems(self) -> list[tuple[str, str]]:
        """(key path, message) per problem, in the current language."""
        return self.rendered()

    def lines(self, lang: str | None = None) -> list[str]:
        return [
            f"{self.file}: {path}: {msg}" if path else f"{self.file}: {msg}"
            for path, msg in self.rendered(lang)
        ]

    def __str__(self) -> str:
        return "\n".join(self.lines())


def _text(value: Text, lang: str | None) -> str:
    return value.text(lang) if isinstance(value, Message) else str(value)


def _say(key: str, /, **params: object) -> Message:
    return Message(f"rubric.{key}", **params)


class RubricMissing(RubricError):
    """No rubric file for a jurisdiction and year."""


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


def rubric_path(rubrics_dir: Path, jurisdiction: str, year: int) -> Path:
    return Path(rubrics_dir) / jurisdiction / f"{year}.yaml"


def read_yaml(path: Path) -> dict:
    try:
        data = yaml.load(Path(path).read_text("utf-8"), Loader=_Loader)
    except FileNotFoundError:
        raise RubricError(path, [("", _say("load.no_file"))]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = _say("load.at_line", line=mark.line + 1) if mark else ""
        raise RubricError(path, [(where, _yaml_problem(exc))]) from None
    if not isinstance(data, dict):
        raise RubricError(path, [("", _say("load.not_mapping"))])
    return data


def _problem_text(exc: yaml.YAMLError) -> str:
    return str(getattr(exc, "problem", None) or exc)


_TAG = re.compile(r"could not determine a constructor for the tag (.*)")


def _yaml_problem(exc: yaml.YAMLError) -> Message:
    if isinstance(exc, _DuplicateKey):
        return _say("load.duplicate_key", key=repr(exc.key))
    problem = _problem_text(exc)
    if m := _TAG.fullmatch(problem):
        return _say("load.yaml_tag", tag=m.group(1))
    return _say("load.yaml", problem=problem)


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
        raise RubricError(path, [validation_problem(err) for err in exc.errors()]) from None


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
        raise RubricError(path, [("extends", _say("load.extends_cycle", parent=repr(parent_id)))])
    parent_path = rubrics_dir / f"{parent_id}.yaml"
    if not parent_path.is_file():
        problem = _say("load.extends_missing", parent=repr(parent_id), path=parent_path)
        raise RubricError(path, [("extends", problem)])
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
                problems.append((loc, _say("load.removes_missing", parent=parent_id)))
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value, loc, problems, parent_id)
        else:
            if container and key not in out and isinstance(value, dict) and "name" not in value:
                problems.append((loc, _say("load.dangling", parent=parent_id)))
            out[key] = value
    return out


def validation_problem(err: dict) -> tuple[str, Text]:
    """A pydantic error as (key path, message): our validators' own ``Invalid`` message,
    else the catalog's ``rubric.invalid.<type>`` filled from the error's context."""
    loc = ".".join(str(p) for p in err["loc"])
    kind, ctx = err["type"], dict(err.get("ctx") or {})
    error = ctx.get("error")
    if isinstance(error, Invalid):
        return loc, error.message
    msg = err["msg"].removeprefix("Value error, ")
    if kind == "union_tag_invalid":
        ctx["tag"] = repr(err["input"].get("kind"))
    elif kind == "literal_error":
        ctx["choices"] = "、".join(re.split(r", | or ", ctx.get("expected", "")))
    key = f"rubric.invalid.{kind}"
    if key not in catalog(DEFAULT):
        key = "rubric.invalid.other"
    return loc, Message(key, msg=msg, **{k: v for k, v in ctx.items() if k != "error"})


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
            problems.append((change, _say("load.set_syntax")))
            continue
        try:
            value = yaml.load(text, Loader=_Loader)  # _Loader is a SafeLoader
        except yaml.YAMLError as exc:
            problems.append(
                (key, _say("load.set_bad_value", value=text, problem=_problem_text(exc)))
            )
            continue
        try:
            _set(data, key.strip(), value)
        except (KeyError, IndexError, TypeError) as exc:
            problems.append((key, _say("load.set_no_key", rubric=path.stem, detail=exc)))
    if problems:
        raise RubricError(path, problems)
    try:
        return Rubric.model_validate(data)
    except ValidationError as exc:
        raise RubricError(path, [validation_problem(err) for err in exc.errors()]) from None


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
