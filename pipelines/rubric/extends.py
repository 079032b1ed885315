"""``extends``: a rule file that names its parent changes only what differs from it.

The child's keys are applied over the parent's, mapping by mapping; a list is replaced
whole; ``null`` removes the parent's entry. A file extends a file of its own family
(``drafts/beijing/2023`` extends ``drafts/…``), resolved under the same rubrics/.
"""

from __future__ import annotations

from pathlib import Path

from pipelines.rubric.base import RuleFile
from pipelines.rubric.errors import RubricError, _say
from pipelines.rubric.read import read_yaml


def resolve(
    family: type[RuleFile], path: Path, rubrics_dir: Path, chain: tuple[str, ...] = ()
) -> dict:
    """The file's content with its ``extends`` chain applied (the parent first)."""
    data = read_yaml(path, family.FAMILY)
    parent_id = data.get("extends")
    if parent_id is None:
        return data
    if not isinstance(parent_id, str) or parent_id in chain:
        raise RubricError(path, [("extends", _say("load.extends_cycle", parent=repr(parent_id)))])
    if not family.owns(parent_id):
        form = family.id_of("<jurisdiction>", "<year>")
        problem = _say(
            "load.extends_family", parent=repr(parent_id), family=family.FAMILY, form=form
        )
        raise RubricError(path, [("extends", problem)])
    parent_path = Path(rubrics_dir) / f"{parent_id}.yaml"
    if not parent_path.is_file():
        problem = _say(
            "load.extends_missing", parent=repr(parent_id), path=parent_path, family=family.FAMILY
        )
        raise RubricError(path, [("extends", problem)])
    parent = resolve(family, parent_path, rubrics_dir, (*chain, parent_id))
    parent.pop("extends", None)
    problems: list[tuple[str, str]] = []
    merged = merge(parent, data, "", problems, parent_id, family.TREE_KEYS)
    if problems:
        raise RubricError(path, problems)
    return merged


def merge(
    base: dict,
    patch: dict,
    where: str,
    problems: list,
    parent_id: str,
    tree_keys: frozenset[str] = frozenset(),
) -> dict:
    """``patch`` applied over ``base`` (neither is changed); ``problems`` gets a
    (key path, message) for each removal of what ``base`` lacks and, under
    ``tree_keys``, each new entry that is not complete."""
    out = dict(base)
    container = where.rsplit(".", 1)[-1] in tree_keys
    for key, value in patch.items():
        loc = f"{where}.{key}" if where else str(key)
        if value is None:
            if key not in out:
                problems.append((loc, _say("load.removes_missing", parent=parent_id)))
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value, loc, problems, parent_id, tree_keys)
        else:
            if container and key not in out and isinstance(value, dict) and "name" not in value:
                problems.append((loc, _say("load.dangling", parent=parent_id)))
            out[key] = value
    return out
