"""What changed between two rubrics, in words a finance officer reads.

Lines, groups and sections that were added or removed are named once; every other
change is one line: where (the display name and code), what (the parameter), old →
new value. The words are the catalog's (``rubric.diff.*``), in the current language.
"""

from __future__ import annotations

import re

from pipelines.messages import say
from pipelines.rubric.model import Rubric
from pipelines.rubric.params import names, parameters

_NODE = re.compile(r"^(sections\.[^.]+(?:\.groups\.[^.]+)?(?:\.lines\.[^.]+)?)(?:\.(.*))?$")


def diff(a: Rubric, b: Rubric) -> list[str]:
    old = {p.path: p.value for p in parameters(a)}
    new_params = parameters(b)
    new = {p.path: p.value for p in new_params}
    refs = {p.path: p.reference for p in new_params}
    old_nodes, new_nodes = names(a), names(b)
    out: list[str] = []
    for node in sorted(new_nodes.keys() - old_nodes.keys()):
        out.append(
            say("rubric.diff.added", where=_where(node, new_nodes), weight=_weight(new, node))
        )
    for node in sorted(old_nodes.keys() - new_nodes.keys()):
        out.append(
            say("rubric.diff.removed", where=_where(node, old_nodes), weight=_weight(old, node))
        )
    gone = (old_nodes.keys() - new_nodes.keys()) | (new_nodes.keys() - old_nodes.keys())
    for path in sorted(old.keys() | new.keys()):
        node, rest = _split(path)
        if node in gone or any(node.startswith(g + ".") for g in gone if node):
            continue
        before, after = old.get(path, "—"), new.get(path, "—")
        if before == after:
            continue
        if not node:
            out.append(say("rubric.diff.changed_top", what=path, before=before, after=after))
            continue
        ref = say("rubric.diff.reference", reference=refs[path]) if path in refs else ""
        out.append(
            say(
                "rubric.diff.changed",
                where=_where(node, {**old_nodes, **new_nodes}),
                what=rest or path,
                before=before,
                after=after,
                reference=ref,
            )
        )
    return out


def _split(path: str) -> tuple[str, str]:
    m = _NODE.match(path)
    if not m:
        return "", path
    return m.group(1), m.group(2) or ""


def _where(node: str, labels: dict[str, str]) -> str:
    kind = node.rsplit(".", 2)[-2].rstrip("s")  # sections → section, groups → group, lines → line
    return say(
        "rubric.diff.where", kind=kind, name=labels.get(node, "?"), code=node.rsplit(".", 1)[-1]
    )


def _weight(params: dict[str, str], node: str) -> str:
    weight = params.get(f"{node}.weight")
    return say("rubric.diff.weight", weight=weight) if weight else ""
