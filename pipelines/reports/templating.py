"""The Jinja2 environment every report format shares: templates, number filters."""

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from pipelines.reports import numbers

TEMPLATES = Path(__file__).parent / "templates"


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
    )
    return env
