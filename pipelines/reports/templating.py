"""The Jinja2 environment every report format shares: templates, number filters, and
the message catalog. Every word a template shows comes from ``t("report.…")`` (the
catalog's ``say``, in the current language); the templates hold markup only."""

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from pipelines.messages import current, label, say
from pipelines.reports import numbers

TEMPLATES = Path(__file__).parent / "templates"


@lru_cache(maxsize=4096)
def _fixed(lang: str, key: str) -> str:
    return say(key, lang=lang)


@lru_cache(maxsize=1 << 15)
def _filled(lang: str, key: str, shown: tuple, params: tuple) -> str:
    return say(key, lang=lang, **dict(params))


def word(key: str, /, **params: object) -> str:
    """``say``, looking each sentence up once per language and parameters (a report
    names the same headers, labels and weights hundreds of times). A sentence shows a
    parameter as its text (``None`` as nothing): the key is that text, so 1 and 1.0, or
    0.0 and -0.0, are never taken for one another."""
    lang = current()
    if not params:
        return _fixed(lang, key)
    shown = []
    for name, value in params.items():
        if value is None:
            shown.append((name, None))
        elif type(value) in (str, int, float):
            shown.append((name, str(value)))
        else:  # a Message, Markup…: as say renders it
            return say(key, lang=lang, **params)
    return _filled(lang, key, tuple(shown), tuple(params.items()))


def grade_label(grade: object) -> str:
    """A rubric grade (优, 良…) as the current language shows it in a table."""
    return label("report.grade", str(grade))


def jurisdiction_label(code: object) -> str:
    """A jurisdiction code as its name (beijing → 北京市); an unknown code as itself."""
    return label("jurisdiction", str(code))


def environment(autoescape: bool, finalize) -> Environment:
    """HTML escapes every value (autoescape); Markdown escapes in ``finalize``."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=autoescape,
        undefined=StrictUndefined,
        finalize=finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # the templates are part of the code: not checked on every page
    )
    env.filters.update(
        amount=numbers.amount_cell,
        weight=numbers.amount,
        score=numbers.score,
        pct=numbers.pct,
        signed=numbers.signed,
        grade=grade_label,
        jurisdiction=jurisdiction_label,
    )
    env.globals.update(t=word, say=word)
    return env
