"""The analyst views, created from their models (``pipelines/warehouse/models/``: a SQL
file and a YAML of its grain, columns and tests per view), in the order they read one
another.

Some views speak: ``v_line_scores.explanation``, ``v_findings.message`` and
``v_rejected_rows.reason`` are Chinese; ``explanation_en``, ``message_en`` and
``reason_en`` English; each further catalog language adds a ``_<lang>`` column
(``pipelines.messages.sql``). Their SQL files are templates, and the fragments that
make one column per language are filled in here. The templates come from the
``messages`` table of the same file, so a published snapshot renders on its own in
any DuckDB client.
"""

from __future__ import annotations

from functools import cache

import duckdb
import jinja2

from pipelines.messages import current
from pipelines.messages.sql import rendered, suffix, template_joins
from pipelines.scoring import sentences
from pipelines.scoring.facts import facts_sql, params_sql
from pipelines.warehouse import models

# The rule constants and grade shares the stored lines are joined with, kept once per
# rubric version.
CONSTANTS = ("rubric_rule_constants", "rubric_grade_shares")


_JINJA = jinja2.Environment(
    undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True
)


@cache
def _template(name: str) -> jinja2.Template:
    return _JINJA.from_string(models.load()[name].sql_path.read_text("utf-8"))


def _render(name: str) -> str:
    """The query of view ``name``, its template filled."""
    return _template(name).render(
        line_params=params_sql(),
        line_keys=sentences.LINE_KEYS,
        facts=lambda lines: facts_sql(lines, *CONSTANTS),
        rendered=rendered,
        template_joins=template_joins(),
        lines_of=lambda source: sentences.lines_select(source, CONSTANTS),
        findings_of=lambda source, lines: sentences.findings_select(source, lines, CONSTANTS),
    )


def queries() -> dict[str, str]:
    """The query of every view that has a SQL file, by name."""
    return {
        name: _render(name) for name, model in models.load().items() if model.sql_path is not None
    }


def definitions() -> list[str]:
    """``CREATE OR REPLACE VIEW`` of every view, each after the views it reads."""
    found = queries()
    return [f"CREATE OR REPLACE VIEW {name} AS\n{found[name]}" for name in models.ordered(found)]


def create(con: duckdb.DuckDBPyConnection) -> None:
    for ddl in definitions():
        con.execute(ddl)


def rendered_findings(
    con: duckdb.DuckDBPyConnection, where: str, params: list, order: str, limit: int
):
    """The first ``limit`` findings matching ``where`` (over the ``findings`` table), in
    ``order``, with their sentence in the current language as ``message``.

    The rows are chosen before a sentence is rendered: ``v_findings`` renders every row
    it reads, and a national year's 30,000 findings rendered for a sample of 20 ran out
    of memory."""
    message = "message" + suffix(current())
    picked = f"SELECT * FROM findings WHERE {where} ORDER BY {order} LIMIT {int(limit)}"
    return con.execute(
        f"""WITH picked AS MATERIALIZED ({picked})
        SELECT dept_code, line_code, severity, code, {message} AS message
        FROM ({sentences.findings_select("picked", "line_scores", CONSTANTS)})
        ORDER BY {order}""",
        params,
    ).df()
