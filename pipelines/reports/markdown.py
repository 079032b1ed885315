"""The department report as Markdown text tables, from ``templates/department.md.j2``.

Every value is escaped on the way out (Jinja ``finalize``), the Markdown analogue of
HTML autoescape: a "|" cannot split a table cell and "<script>" stays text.
"""

from __future__ import annotations

import re

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from pipelines.reports import numbers
from pipelines.reports.department import DepartmentReport
from pipelines.reports.html import TEMPLATES, jurisdiction_label
from pipelines.reports.ranking import ranking_rows

_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def escape(value: object) -> str:
    if value is None:
        return numbers.MISSING
    text = " ".join(str(value).split())
    return _SPECIAL.sub(r"\\\1", text)


ENV = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=False,
    undefined=StrictUndefined,
    finalize=escape,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
ENV.filters.update(
    amount=numbers.amount_cell,
    weight=numbers.amount,
    score=numbers.score,
    pct=numbers.pct,
)


def department_text(report: DepartmentReport) -> str:
    return ENV.get_template("department.md.j2").render(
        r=report,
        ranking_rows=ranking_rows(report),
        jurisdiction_label=jurisdiction_label(report.header.jurisdiction),
    )
