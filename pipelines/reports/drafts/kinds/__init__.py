"""One module per kind of draft rule, found by its ``KIND``; each evaluates a rule for a
chunk of departments at once, in SQL over the warehouse.

Every module has ``KIND``, ``Rule`` (its parameters: a ``DraftRule`` with ``kind``) and
the same two functions:

- ``query(rule) -> (sql, parameters)``: one SELECT with ``dept_code`` and the evidence
  columns, for the chunk's departments (``in_chunk``); ``CHUNK`` in the parameters
  stands for the chunk's year, codes and their range;
- ``item(rule, row, at) -> (params, figures)``: one row of it as the parameters of the
  rule's sentences (``item`` names what a 措施建议 lists) and the figures they cite
  (``Evidence``), for the department and year ``at``.

Adding a kind is adding a module here and, for new sentences, their keys in
``draft.yaml`` of every language of ``pipelines/messages``.
"""

from __future__ import annotations

from functools import cache
from types import ModuleType

from pipelines.rubric.kinds import find_kinds, one_of


@cache
def registry() -> dict[str, ModuleType]:
    """kind → the module that evaluates it."""
    return find_kinds(__name__)


def kind_module(kind: str) -> ModuleType:
    return registry()[kind]  # DraftRules admits no other kind


def rule_type() -> object:
    """A draft rule of any kind (a field type, told apart by ``kind``)."""
    return one_of(module.Rule for module in registry().values())
