"""The message catalog: every sentence a user reads, in each language, kept as data.

``pipelines/messages/<lang>/<area>[.<part>].yaml`` holds the templates of one
language; a template's key is ``<area>.<key>`` (nested keys joined with dots; an area
may span several files). Chinese (``zh``) is the default; a new language is a new
folder of the same files, no code.

A template fills ``{name}`` with the parameter ``name``, and ``{name|area}`` with the
template ``<area>.<value of name>`` (a label: ``{numerator|column}`` → 执行数), or the
value itself when the catalog has no such label. Filling is one pass: a value is never
read as a template. Python (``say``, for the CLI, reports and Dagster) and SQL
(``pipelines.messages.sql``, for the warehouse views) fill the same way.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

import yaml

HERE = Path(__file__).parent
DEFAULT = "zh"
ENV = "JIXIAO_LANG"
_PLACEHOLDER = re.compile(r"\{([^{}|]*)(?:\|([^{}]*))?\}")
_chosen: ContextVar[str | None] = ContextVar("jixiao_lang", default=None)


def languages() -> list[str]:
    """The catalog's languages, the default first."""
    found = sorted(p.name for p in HERE.iterdir() if p.is_dir() and any(p.glob("*.yaml")))
    return sorted(found, key=lambda lang: lang != DEFAULT)


@cache
def catalog(lang: str) -> dict[str, str]:
    """key → template for ``lang``."""
    folder = HERE / lang
    if not folder.is_dir():
        raise ValueError(f"no message catalog for language {lang!r} ({', '.join(languages())})")
    out: dict[str, str] = {}
    for path in sorted(folder.glob("*.yaml")):
        area = path.name.split(".")[0]  # finding.yaml and finding.staging.yaml: both finding.*
        _flatten(yaml.safe_load(path.read_text("utf-8")) or {}, area, out, path)
    return out


def _flatten(node, prefix: str, out: dict[str, str], path: Path) -> None:
    if isinstance(node, Mapping):
        for key, value in node.items():
            _flatten(value, f"{prefix}.{key}", out, path)
    elif prefix in out:
        raise ValueError(f"{path}: {prefix} is defined twice in the {path.parent.name} catalog")
    else:
        out[prefix] = str(node)


def current() -> str:
    """The language chosen for this process: ``use()``, else ``JIXIAO_LANG``, else zh."""
    return _chosen.get() or os.environ.get(ENV) or DEFAULT


@contextmanager
def use(lang: str) -> Iterator[None]:
    catalog(lang)  # an unknown language fails here, with the languages there are
    token = _chosen.set(lang)
    try:
        yield
    finally:
        _chosen.reset(token)


def fill(template: str, params: Mapping[str, object], lang: str) -> str:
    """``template`` with its placeholders filled from ``params`` (missing: empty)."""
    labels = catalog(lang)

    def one(m: re.Match) -> str:
        value = params.get(m.group(1))
        if isinstance(value, Message):  # a sentence inside a sentence: the same language
            value = value.text(lang)
        value = "" if value is None else str(value)
        if m.group(2):
            return labels.get(f"{m.group(2)}.{value}", value)
        return value

    return _PLACEHOLDER.sub(one, template)


def say(key: str, /, lang: str | None = None, **params: object) -> str:
    """The sentence ``key`` in ``lang`` (default: ``current()``), filled with ``params``."""
    lang = lang or current()
    return fill(catalog(lang)[key], params, lang)


def label(area: str, value: str, lang: str | None = None) -> str:
    """The label ``<area>.<value>`` (e.g. a column's Chinese name), or ``value`` itself."""
    return catalog(lang or current()).get(f"{area}.{value}", value)


class Message:
    """A sentence not yet rendered: its key and parameters. ``str()`` renders it in the
    current language; ``text(lang)`` in any. For messages that travel inside a run
    (why a year stops, a check's result) and are shown, never stored, as sentences."""

    __slots__ = ("key", "params")

    def __init__(self, key: str, /, **params: object) -> None:
        self.key = key
        self.params = params

    def text(self, lang: str | None = None) -> str:
        return say(self.key, lang=lang, **self.params)

    def __str__(self) -> str:
        return self.text()

    def __repr__(self) -> str:
        return f"Message({self.key!r}, {self.params!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Message) and (self.key, self.params) == (other.key, other.params)

    def __hash__(self) -> int:
        return hash((self.key, tuple(sorted((k, str(v)) for k, v in self.params.items()))))
