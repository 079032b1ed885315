"""The department report as Markdown text tables, from ``templates/department.md.j2``.

Every value is escaped on the way out (Jinja ``finalize``), the Markdown analogue of
HTML autoescape: a "|" cannot split a table cell and "<script>" stays text.
"""

from __future__ import annotations

import re

from pipelines.reports import numbers
from pipelines.reports.department import DepartmentReport
from pipelines.reports.ranking import ranking_rows
from pipelines.reports.templating import environment, jurisdiction_label

_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def escape(value: object) -> str:
    if value is None:
        return numbers.MISSING
    text = " ".join(str(value).split())
    return _SPECIAL.sub(r"\\\1", text)


ENV = environment(autoescape=False, finalize=escape)


def department_text(report: DepartmentReport) -> str:
    return ENV.get_template("department.md.j2").render(
        r=report,
        ranking_rows=ranking_rows(report),
        jurisdiction_label=jurisdiction_label(report.header.jurisdiction),
    )
