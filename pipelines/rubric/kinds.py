"""Kinds found by folder: a family's rules (draft rules, review flags…) each name a
``kind``, and each kind is one module of a package, with its ``KIND``, its model
(``Rule``) and functions of one signature. Adding a kind is adding a module."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable
from types import ModuleType
from typing import Annotated, Union

from pydantic import BaseModel, Field


def find_kinds(package: str) -> dict[str, ModuleType]:
    """kind → module, for every module of ``package`` with a ``KIND`` (in name order)."""
    found = {}
    for info in pkgutil.iter_modules(importlib.import_module(package).__path__):
        module = importlib.import_module(f"{package}.{info.name}")
        if hasattr(module, "KIND"):
            found[module.KIND] = module
    return found


def one_of(models: Iterable[type[BaseModel]]) -> object:
    """The type of a field holding any of ``models``, told apart by its ``kind`` (an
    unknown kind is refused with the known ones)."""
    return Annotated[Union[tuple(models)], Field(discriminator="kind")]  # noqa: UP007
