"""The analyst views that speak: facts in the tables, sentences rendered when read.

``v_line_scores.explanation``, ``v_findings.message`` and ``v_rejected_rows.reason``
are Chinese; ``explanation_en``, ``message_en`` and ``reason_en`` English; each
further catalog language adds a ``_<lang>`` column (``pipelines.messages.sql``). The
templates come from the ``messages`` table of the same file, so a published snapshot
renders on its own in any DuckDB client.
"""

from __future__ import annotations

import duckdb

from pipelines.messages import current, languages
from pipelines.messages.sql import rendered, suffix, template_joins
from pipelines.scoring.facts import facts_sql, params_sql

_LINE_KEYS = "list_transform(string_split(l.explain_keys, ','), lambda k: 'line.' || k)"


def _shown(area: str, tail: str) -> str:
    """A value rendered per language from ``line.<area>.<rule_kind>``; NULL when empty."""
    keys = f"['line.{area}.' || l.rule_kind]"
    return ", ".join(
        f"nullif(msg_say(tpl_{lang}.tpl, {keys}, l.params), '') AS {tail}{suffix(lang)}"
        for lang in languages()
    )


CONSTANTS = ("rubric_rule_constants", "rubric_grade_shares")


def lines_select(source: str = "line_scores", constants: tuple[str, str] = CONSTANTS) -> str:
    """The rendered lines of ``source`` (line_scores, or any relation of its columns)."""
    return f"""
WITH l AS (SELECT *, {params_sql()} AS params FROM ({facts_sql(source, *constants)}))
SELECT l.year, l.dept_code, l.line_code, l.section, l."group", l.subgroup, l.name,
       l.rule_kind, l.weight, {_shown("target", "target")}, {_shown("actual", "actual")},
       l.rate_pct, l.computed_score, l.assessed_score, l.final_score,
       {rendered("explanation", _LINE_KEYS, "l.params")},
       l.section_order, l.group_order, l.line_order, l.rubric_id, l.run_id
FROM l {template_joins()}"""


def findings_select(
    source: str = "findings", lines: str = "line_scores", constants: tuple[str, str] = CONSTANTS
) -> str:
    """The rendered findings of ``source`` (shaped as the ``findings`` table, its
    ``jurisdiction`` included); ``lines`` holds the lines they may cite."""
    key = "['finding.' || f.code || coalesce('.' || map_extract_value(f.params, 'variant'), '')]"
    # a finding about a line may cite the line's own derivation ({line_explanation}); only
    # the lines findings name are rendered for it. The derivation is rendered in the
    # subquery, as a column: nested inside the finding's macro, it was expanded at every
    # use of the parameters, and planning the view took over a second.
    per_lang = ", ".join(
        f"msg_say(tpl_{lang}.tpl, {key}, map_concat(f.params, MAP {{'line_explanation': "
        f"l.explanation{suffix(lang)}}})) AS message{suffix(lang)}"
        for lang in languages()
    )
    explained = ", ".join(
        f"msg_say(tpl_{lang}.tpl, {_LINE_KEYS}, l.params) AS explanation{suffix(lang)}"
        for lang in languages()
    )
    return f"""
SELECT f.year, f.dept_code, f.line_code, f.severity, f.code, {per_lang}, f.params, f.run_id,
       f.jurisdiction
FROM {source} f
LEFT JOIN (SELECT l.year, l.dept_code, l.line_code, {explained}
           FROM (SELECT *, {params_sql()} AS params FROM ({facts_sql(lines, *constants)})
                 WHERE (year, dept_code, line_code) IN (
                     SELECT year, dept_code, line_code FROM {source}
                     WHERE line_code IS NOT NULL)) l
           {template_joins()}) l
  ON l.year = f.year AND l.dept_code = f.dept_code AND l.line_code = f.line_code
{template_joins()}"""


def rejected_rows_view() -> str:
    return f"""
CREATE OR REPLACE VIEW v_rejected_rows AS
SELECT r.year, r.file, r.row_number, r."column", r.value, r.reason_code,
       {rendered("reason", "['refusal.' || r.reason_code]", "r.params")}, r.params, r.run_id,
       r.dept_code, r.jurisdiction
FROM rejected_rows r {template_joins()}"""


def scenario_line_scores_view() -> str:
    return f"""
CREATE OR REPLACE VIEW v_scenario_line_scores AS
WITH l AS (SELECT *, {params_sql()} AS params
           FROM ({facts_sql("scenario_line_scores", *CONSTANTS)}))
SELECT l.scenario, l.year, l.dept_code, l.line_code, l.section, l."group", l.name,
       l.weight, l.computed_score, l.final_score,
       {rendered("explanation", _LINE_KEYS, "l.params")}, l.rubric_id, l.run_id
FROM l {template_joins()}"""


# Every version's lines: the earlier ones kept in line_score_history, the current ones
# under the run that first wrote their version (a re-run on the same inputs reuses it).
LINE_HISTORY = """(
    SELECT * FROM line_score_history
    UNION ALL
    SELECT l.* REPLACE (coalesce(v.run_id, l.run_id) AS run_id)
    FROM line_scores l
    LEFT JOIN staged_departments d USING (year, dept_code)
    LEFT JOIN v_current_versions v ON v.year = l.year AND v.jurisdiction = d.jurisdiction)"""


def definitions() -> list[str]:
    return [
        f"CREATE OR REPLACE VIEW v_line_scores AS {lines_select()}",
        f"CREATE OR REPLACE VIEW v_line_score_history AS {lines_select(LINE_HISTORY)}",
        f"CREATE OR REPLACE VIEW v_findings AS {findings_select()}",
        rejected_rows_view(),
        scenario_line_scores_view(),
    ]


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
        FROM ({findings_select("picked")}) ORDER BY {order}""",
        params,
    ).df()
