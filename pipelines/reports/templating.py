"""The Jinja2 environment every report format shares: templates, number filters, and
the message catalog. Every word a template shows comes from ``t("report.…")`` (the
catalog's ``say``, in the current language); the templates hold markup only."""

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from pipelines.messages import label, say
from pipelines.reports import numbers

TEMPLATES = Path(__file__).parent / "templates"


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
    env.globals.update(t=say, say=say)
    return env
