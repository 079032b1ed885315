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

from pipelines.ingest.spec import extract_specs
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
# A self_reported row of a section's score: line_code SECTION:<section code> (TOTAL is the
# whole). A row with `measure` is an amount (the budget column it names), not a score.
SECTION_PREFIX = "SECTION:"
_SCORE_ROW = "s.measure IS NULL"
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
        _reported_section_sql(),
        _reported_amount_sql(),
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
        WHERE s.line_code = '{ident(line)}' AND nullif(trim(s.reported_value), '') IS NOT NULL
          AND {_SCORE_ROW}),
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
    WHERE s.reported_score IS DISTINCT FROM l.final_score AND {_SCORE_ROW}"""


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
    WHERE s.line_code = 'TOTAL' AND s.reported_score IS DISTINCT FROM d.total_score
      AND {_SCORE_ROW}"""


def _reported_line_unknown_sql() -> str:
    entries = params(
        row="s.row_number", line_code="s.line_code", reported="msg_amount(s.reported_score)"
    )
    return f"""
    SELECT s.dept_code, s.line_code, 'warning', 'reported_line_unknown', {entries}
    FROM stg_self_reported s JOIN scope USING (dept_code)
    WHERE s.line_code <> 'TOTAL' AND {_SCORE_ROW} AND NOT EXISTS (
        SELECT 1 FROM scored_lines l
        WHERE l.dept_code = s.dept_code AND l.line_code = s.line_code)
      AND NOT EXISTS (
        SELECT 1 FROM scored_sections x
        WHERE x.dept_code = s.dept_code AND s.line_code = '{SECTION_PREFIX}' || x.section)"""


def _reported_section_sql() -> str:
    """A section's reported score (the 结论一览表) against its score; variant ``section``."""
    entries = params(
        variant="'section'",
        section="x.section",
        section_name="x.name",
        reported="msg_amount(s.reported_score)",
        score="msg_score(x.score)",
    )
    return f"""
    SELECT s.dept_code, NULL, 'warning', 'reported_score_mismatch', {entries}
    FROM stg_self_reported s JOIN scope USING (dept_code)
    JOIN scored_sections x
      ON x.dept_code = s.dept_code AND s.line_code = '{SECTION_PREFIX}' || x.section
    WHERE s.reported_score IS DISTINCT FROM x.score AND {_SCORE_ROW}"""


def _reported_amount_sql() -> str:
    """A reported amount (a row with ``measure``) against that column of the budget
    extract, at the places it was printed with (8782.5 states 8782.50 to one place;
    half-up, as every rounding here); an amount the extract leaves empty is not
    compared. ``reported_amount_mismatch``."""
    measures = extract_specs()["self_reported"].columns["measure"].choices
    amount = (
        "CASE s.measure "
        + " ".join(f"WHEN '{ident(m)}' THEN b.{ident(m)}" for m in measures)
        + " END"
    )
    places = (
        "CASE WHEN regexp_full_match(txt, '[0-9][0-9,]*(\\.[0-9]+)? *(万元)?') THEN "
        "length(regexp_extract(txt, '\\.([0-9]+)', 1)) ELSE 4 END"
    )
    rounded = "CASE places " + " ".join(f"WHEN {p} THEN ROUND(amount, {p})" for p in range(4))
    rounded += " ELSE amount END"
    entries = params(
        measure="measure",
        reported="msg_amount(reported)",
        amount="msg_amount(amount)",
        difference="msg_amount(reported - amount)",
    )
    return f"""
    WITH s AS (
        SELECT s.dept_code, s.measure, s.reported_score AS reported, {_FOLD} AS txt,
               {amount} AS amount
        FROM stg_self_reported s JOIN scope USING (dept_code) JOIN stg_budget b USING (dept_code)
        WHERE s.measure IS NOT NULL),
    p AS (SELECT *, {places} AS places FROM s)
    SELECT dept_code, NULL, 'warning', 'reported_amount_mismatch', {entries}
    FROM p WHERE amount IS NOT NULL AND reported IS DISTINCT FROM {rounded}"""
