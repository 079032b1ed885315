"""Reconciliation findings: what a department published against what its extracts give.

Published figures are claims (docs/decisions.md#claims): a reported rate or score that disagrees
with the one derived from the raw amounts is a finding for a reviewer, never an
input to scoring. Every check is one SELECT over all departments in ``scope``,
yielding ``FINDING_COLUMNS`` in order (a code and the parameters of its sentence,
``finding.<code>[.<variant>]`` in ``pipelines/messages``), run after aggregation on
the engine's connection (temp relations: ``stg_*``, ``prior_budget``,
``prior_indicators``, ``scope``, ``scored_*``; macros ``jx_*`` set for the rubric and
the catalog's ``msg_*``).
"""

from __future__ import annotations

from pipelines.quality import consistency
from pipelines.quality.consistency import code, params
from pipelines.rubric import Rubric
from pipelines.scoring.sql import ident

# line → the scored_rates column it reports (the variant of its findings); the line
# codes every rubric has (contract.md)
REPORTED_RATES = {
    "budget_execution": "execution_rate",
    "carryover_rate": "carryover_rate",
    "budget_final_diff": "budget_final_diff_rate",
}
# One number, optionally signed, with an optional % after it; full-width forms are
# folded first since reported_value is kept as printed.
_NUMBER = r"^[+-]?\d{1,12}(\.\d+)?\s*%?$"
_FOLD = "translate(trim(s.reported_value), '０１２３４５６７８９．％＋－', '0123456789.%+-')"


def findings_sql(rubric: Rubric) -> list[str]:
    """SELECTs of (dept_code, line_code, severity, code, params) for ``rubric``'s scope."""
    places = int(rubric.numbers.rate_places)
    return [
        *(_reported_rate_sql(line, places) for line in REPORTED_RATES),
        _reported_score_sql(),
        _reported_total_sql(),
        _reported_line_unknown_sql(),
        consistency.aggregation_sql(rubric),
        *consistency.budget_parts_sql(),
        *consistency.prior_rate_sql(rubric, places),
        consistency.line_name_drift_sql(),
    ]


def _reported_rate_sql(line: str, places: int) -> str:
    """``reported_value_unreadable`` (the cell as printed) or ``reported_rate_mismatch``
    (the reported rate at the rubric's places), with the derived rate; variant: the
    measure."""
    measure = REPORTED_RATES[line]
    derivation = consistency.derivation(measure, "b")  # name → SQL over the budget row
    entries = params(
        variant=code(measure),
        printed="printed",
        reported=f"msg_fixed(reported, {places})",
        **{name: name for name in derivation},
        rate=f"msg_fixed(rate, {places})",
    )
    shown = ", ".join(f"{sql} AS {name}" for name, sql in derivation.items())
    return f"""
    WITH s AS (
        SELECT s.dept_code, s.reported_value AS printed, {_FOLD} AS txt,
               r.{ident(measure)} AS rate, {shown}
        FROM stg_self_reported s JOIN scope USING (dept_code)
        JOIN stg_budget b USING (dept_code) JOIN scored_rates r USING (dept_code)
        WHERE s.line_code = '{ident(line)}' AND nullif(trim(s.reported_value), '') IS NOT NULL),
    p AS (SELECT *, CASE WHEN regexp_full_match(txt, '{_NUMBER}') THEN ROUND(CAST(
                 regexp_extract(txt, '^[+-]?[0-9.]+') AS DECIMAL(18,4)), {places}) END AS reported
          FROM s)
    SELECT dept_code, '{ident(line)}',
           CASE WHEN reported IS NULL THEN 'info' ELSE 'warning' END,
           CASE WHEN reported IS NULL THEN 'reported_value_unreadable'
                ELSE 'reported_rate_mismatch' END,
           {entries}
    FROM p WHERE reported IS NULL OR (rate IS NOT NULL AND reported <> rate)"""


def _reported_score_sql() -> str:
    """A line's reported score against its score; variant ``line``, or ``line_left_out``
    when the rubric gives it none. The view adds the line's ``{line_explanation}``."""
    entries = params(
        variant="CASE WHEN l.final_score IS NULL THEN 'line_left_out' ELSE 'line' END",
        line_code="s.line_code",
        line_name="l.name",
        reported="msg_amount(s.reported_score)",
        score="msg_score(l.final_score)",
    )
    return f"""
    SELECT s.dept_code, s.line_code, 'warning', 'reported_score_mismatch', {entries}
    FROM stg_self_reported s JOIN scope USING (dept_code)
    JOIN scored_lines l USING (dept_code, line_code)
    WHERE s.reported_score IS DISTINCT FROM l.final_score"""


def _reported_total_sql() -> str:
    """The reported total against the scored one; variant ``total``, or ``total_capped``
    when a total cap lowered it."""
    entries = params(
        variant="CASE WHEN d.total_score = d.uncapped_total THEN 'total' ELSE 'total_capped' END",
        reported="msg_amount(s.reported_score)",
        total="msg_score(d.total_score)",
        uncapped="msg_score(d.uncapped_total)",
        grade="d.grade",
    )
    return f"""
    SELECT s.dept_code, NULL, 'warning', 'reported_score_mismatch', {entries}
    FROM stg_self_reported s JOIN scope USING (dept_code)
    JOIN scored_departments d USING (dept_code)
    WHERE s.line_code = 'TOTAL' AND s.reported_score IS DISTINCT FROM d.total_score"""


def _reported_line_unknown_sql() -> str:
    entries = params(
        row="s.row_number", line_code="s.line_code", reported="msg_amount(s.reported_score)"
    )
    return f"""
    SELECT s.dept_code, s.line_code, 'warning', 'reported_line_unknown', {entries}
    FROM stg_self_reported s JOIN scope USING (dept_code)
    WHERE s.line_code <> 'TOTAL' AND NOT EXISTS (
        SELECT 1 FROM scored_lines l
        WHERE l.dept_code = s.dept_code AND l.line_code = s.line_code)"""
