"""The department report as Markdown text tables, from ``templates/department.md.j2``.

Every value is escaped on the way out (Jinja ``finalize``), the Markdown analogue of
HTML autoescape: a "|" cannot split a table cell and "<script>" stays text.
"""

from __future__ import annotations

from pipelines.reports import numbers
from pipelines.reports.department import DepartmentReport
from pipelines.reports.ranking import ranking_rows
from pipelines.reports.templating import environment, jurisdiction_label

_SPECIAL = "\\`*_[]<>|"
_ESCAPED = str.maketrans({ch: "\\" + ch for ch in _SPECIAL})  # "|" → "\\|"…
_SHORT: dict[str, str] = {}  # labels and names repeat from report to report


def escape(value: object) -> str:
    if value is None:
        return numbers.MISSING
    text = value if type(value) is str else str(value)
    if len(text) <= 40:
        done = _SHORT.get(text)
        if done is None:
            if len(_SHORT) >= 1 << 16:
                _SHORT.clear()
            done = _SHORT[text] = " ".join(text.split()).translate(_ESCAPED)
        return done
    return " ".join(text.split()).translate(_ESCAPED)


ENV = environment(autoescape=False, finalize=escape)


def department_text(report: DepartmentReport) -> str:
    return ENV.get_template("department.md.j2").render(
        r=report,
        ranking_rows=ranking_rows(report),
        jurisdiction_label=jurisdiction_label(report.header.jurisdiction),
    )
