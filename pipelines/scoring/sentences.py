"""What scored rows say: their sentences, rendered in SQL when read.

A scored line keeps typed facts and the keys of the templates that tell it
(``facts``); a finding keeps a code and parameters. The SELECTs here fill those
templates from the catalog in the same database (``message_templates`` and the
``msg_*`` macros: ``pipelines.messages.sql.install``), one column per catalog language
(``explanation``, ``explanation_en``, …). They read any relation of the stored shape,
so the analyst views over the warehouse's tables and the rule cases over the engine's
own temp tables say the same sentence with the same SQL.
"""

from __future__ import annotations

from pipelines.messages import languages
from pipelines.messages.sql import rendered, suffix, template_joins
from pipelines.scoring.facts import facts_sql, params_sql

# the line's templates (line.<key>), in the order its derivation tells them
LINE_KEYS = "list_transform(string_split(l.explain_keys, ','), lambda k: 'line.' || k)"
# a finding's template: finding.<code>, or finding.<code>.<variant> when it names one
FINDING_KEY = (
    "['finding.' || f.code || coalesce('.' || map_extract_value(f.params, 'variant'), '')]"
)
# the rule constants and grade shares ``score_year`` leaves beside its lines (the
# warehouse keeps its own copy of them, once per rubric version)
SCORED_CONSTANTS = ("scored_rule_constants", "scored_grade_shares")


def shown(area: str) -> str:
    """A value rendered per language from ``line.<area>.<rule_kind>``; NULL when empty."""
    keys = f"['line.{area}.' || l.rule_kind]"
    return ", ".join(
        f"nullif(msg_say(tpl_{lang}.tpl, {keys}, l.params), '') AS {area}{suffix(lang)}"
        for lang in languages()
    )


def finding_messages() -> str:
    """``message`` per language; ``{line_explanation}`` is the cited line's derivation in
    the same language (``l.explanation…`` of ``findings_select``'s subquery)."""
    return ", ".join(
        f"msg_say(tpl_{lang}.tpl, {FINDING_KEY}, map_concat(f.params, MAP {{'line_explanation': "
        f"l.explanation{suffix(lang)}}})) AS message{suffix(lang)}"
        for lang in languages()
    )


def lines_select(source: str, constants: tuple[str, str]) -> str:
    """The lines of ``source`` (shaped as ``line_scores``: scored_lines' columns with
    ``year`` and ``run_id``) with target, actual and explanation rendered; ``constants``
    names the relations of their rules' constants and grade shares."""
    return f"""WITH l AS (SELECT *, {params_sql()} AS params FROM ({facts_sql(source, *constants)}))
SELECT l.year, l.dept_code, l.line_code, l.section, l."group", l.subgroup, l.name,
       l.rule_kind, l.weight, {shown("target")}, {shown("actual")},
       l.rate_pct, l.computed_score, l.assessed_score, l.final_score,
       {rendered("explanation", LINE_KEYS, "l.params")},
       l.section_order, l.group_order, l.line_order, l.rubric_id, l.run_id
FROM l {template_joins()}
"""


def findings_select(source: str, lines: str, constants: tuple[str, str]) -> str:
    """The findings of ``source`` (shaped as the ``findings`` table, its ``jurisdiction``
    included) with ``message`` rendered; ``lines`` holds the lines they may cite, shaped
    as for ``lines_select``."""
    # Only the lines findings name are rendered for them. The derivation is rendered in
    # the subquery, as a column: nested inside the finding's macro, it was expanded at
    # every use of the parameters, and planning the view took over a second.
    messages = finding_messages()
    return f"""SELECT f.year, f.dept_code, f.line_code, f.severity, f.code, {messages}, f.params,
       f.run_id, f.jurisdiction
FROM {source} f
LEFT JOIN (SELECT l.year, l.dept_code, l.line_code,
                  {rendered("explanation", LINE_KEYS, "l.params")}
           FROM (SELECT *, {params_sql()} AS params FROM ({facts_sql(lines, *constants)})
                 WHERE (year, dept_code, line_code) IN (
                     SELECT year, dept_code, line_code FROM {source}
                     WHERE line_code IS NOT NULL)) l
           {template_joins()}) l
  ON l.year = f.year AND l.dept_code = f.dept_code AND l.line_code = f.line_code
{template_joins()}
"""
