"""Reconciliation findings: what a department published against what its extracts give.

Published figures are claims (domain.md): a reported rate or score that disagrees
with the one derived from the raw amounts is a finding for a reviewer, never an
input to scoring. Every check is one SELECT over all departments in ``scope``,
yielding ``FINDING_COLUMNS`` in order, run after aggregation on the engine's
connection (temp relations: ``stg_*``, ``prior_budget``, ``prior_indicators``,
``scope``, ``scored_*``; macros ``jx_*`` set for the rubric).
"""

from __future__ import annotations

from pipelines.quality import consistency
from pipelines.rubric import Rubric
from pipelines.scoring.sql import ident

# line → (scored_rates column, words); the line codes every rubric has (contract.md)
REPORTED_RATES = {
    "budget_execution": ("execution_rate", "execution rate"),
    "carryover_rate": ("carryover_rate", "carryover rate"),
    "budget_final_diff": ("budget_final_diff_rate", "budget/final-accounts difference rate"),
}
# One number, optionally signed, with an optional % after it; full-width forms are
# folded first since reported_value is kept as printed.
_NUMBER = r"^[+-]?\d{1,12}(\.\d+)?\s*%?$"
_FOLD = "translate(trim(s.reported_value), '０１２３４５６７８９．％＋－', '0123456789.%+-')"


def findings_sql(rubric: Rubric) -> list[str]:
    """SELECTs of (dept_code, line_code, severity, code, message) for ``rubric``'s scope."""
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


def prior_indicators_view(year: int) -> str:
    """The view ``line_name_drift`` reads: last year's staged indicators (maybe empty)."""
    return (
        "CREATE OR REPLACE TEMP VIEW prior_indicators AS "
        f"SELECT * FROM staged_indicators WHERE year = {int(year) - 1}"
    )


def _reported_rate_sql(line: str, places: int) -> str:
    measure, words = REPORTED_RATES[line]
    derivation = consistency.derivation(measure, "b")
    return f"""
    WITH s AS (
        SELECT s.dept_code, s.reported_value AS printed, {_FOLD} AS txt,
               r.{ident(measure)} AS rate, {derivation} AS derivation
        FROM stg_self_reported s JOIN scope USING (dept_code)
        JOIN stg_budget b USING (dept_code) JOIN scored_rates r USING (dept_code)
        WHERE s.line_code = '{ident(line)}' AND nullif(trim(s.reported_value), '') IS NOT NULL),
    p AS (SELECT *, CASE WHEN regexp_full_match(txt, '{_NUMBER}') THEN ROUND(CAST(
                 regexp_extract(txt, '^[+-]?[0-9.]+') AS DECIMAL(18,4)), {places}) END AS reported
          FROM s)
    SELECT dept_code, '{line}',
           CASE WHEN reported IS NULL THEN 'info' ELSE 'warning' END,
           CASE WHEN reported IS NULL THEN 'reported_value_unreadable'
                ELSE 'reported_rate_mismatch' END,
           CASE WHEN reported IS NULL
                THEN 'reported {words} ''' || printed || ''' is not one number; the rate '
                     || 'derived from the budget extract is used: ' || derivation || ' = '
                     || jx_rate(rate) || '%'
                ELSE 'reported {words} ' || jx_rate(reported) || '% but ' || derivation || ' = '
                     || jx_rate(rate) || '%; the rate derived from the budget extract is the '
                     || 'one scored: check the published figure' END
    FROM p WHERE reported IS NULL OR (rate IS NOT NULL AND reported <> rate)"""


def _reported_score_sql() -> str:
    return """
    SELECT s.dept_code, s.line_code, 'warning', 'reported_score_mismatch',
           'reported score ' || jx_amt(s.reported_score) || ' for ' || s.line_code || ' ('
           || l.name || ') but the rubric gives ' || CASE WHEN l.final_score IS NULL
              THEN 'no score (the line is left out)' ELSE jx_score(l.final_score) END
           || ': ' || l.explanation
    FROM stg_self_reported s JOIN scope USING (dept_code)
    JOIN scored_lines l USING (dept_code, line_code)
    WHERE s.reported_score IS DISTINCT FROM l.final_score"""


def _reported_total_sql() -> str:
    return """
    SELECT s.dept_code, NULL, 'warning', 'reported_score_mismatch',
           'reported total ' || jx_amt(s.reported_score) || ' but the scored total is '
           || jx_score(d.total_score) || CASE WHEN d.total_score = d.uncapped_total
              THEN ' (the sum of the section scores)'
              ELSE ' (capped from ' || jx_score(d.uncapped_total) || ')' END
           || ', grade ' || d.grade || '; compare the line scores to find the difference'
    FROM stg_self_reported s JOIN scope USING (dept_code)
    JOIN scored_departments d USING (dept_code)
    WHERE s.line_code = 'TOTAL' AND s.reported_score IS DISTINCT FROM d.total_score"""


def _reported_line_unknown_sql() -> str:
    return """
    SELECT s.dept_code, s.line_code, 'warning', 'reported_line_unknown',
           'self_reported row ' || s.row_number || ' reports score ' || jx_amt(s.reported_score)
           || ' for line ' || s.line_code || ', which is not a scored line of this department; '
           || 'check its line_code against the indicators extract and the rubric'
    FROM stg_self_reported s JOIN scope USING (dept_code)
    WHERE s.line_code <> 'TOTAL' AND NOT EXISTS (
        SELECT 1 FROM scored_lines l
        WHERE l.dept_code = s.dept_code AND l.line_code = s.line_code)"""
