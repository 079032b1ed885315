"""What a scored line keeps: its place, its scores, and the facts its sentence needs.

No sentence is stored. A line keeps typed facts (the inputs, the rate, the band or step
it reached) and ``explain_keys``: the catalog templates (``line.<key>``,
comma-separated) that, filled with these facts, give its derivation in any language
(``pipelines/messages``). The rubric parameters a rule used (its budget columns, cap,
step, deduction, baseline, band edges, the grade bands' shares) are not repeated on
every line: they are kept once per rubric version and rule (``RULE_CONSTANTS``, keyed
by the rubric's hash and the line code, or the kind for declared lines), and the
views join them. ``sentences`` renders the sentence when read.
"""

from __future__ import annotations

# (column, SQL type); the engine's scored_lines and the warehouse's line_scores both
# have exactly these columns (the warehouse adds year and run_id).
LINE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("dept_code", "VARCHAR"),
    ("line_code", "VARCHAR"),
    ("section", "VARCHAR"),
    ('"group"', "VARCHAR"),
    ("subgroup", "VARCHAR"),
    ("name", "VARCHAR"),
    ("rule_kind", "VARCHAR"),
    ("weight", "DECIMAL(18,2)"),
    ("computed_score", "DECIMAL(18,2)"),
    ("assessed_score", "DECIMAL(18,2)"),
    ("final_score", "DECIMAL(18,2)"),
    ("section_order", "INTEGER"),
    ("group_order", "INTEGER"),
    ("line_order", "INTEGER"),
    ("rubric_id", "VARCHAR"),
    ("rubric_hash", "VARCHAR"),
    # -- the facts of the derivation --------------------------------------------------
    ("explain_keys", "VARCHAR"),  # line.<key> templates, in order, comma-separated
    ("target", "VARCHAR"),  # a declared line's 指标值 as the department wrote it
    ("actual", "VARCHAR"),  # … and its 完成值 (a number, a grade or an outcome)
    ("rate_pct", "DECIMAL(18,4)"),  # the rate reached, rounded at rate_places
    ("numerator", "DECIMAL(18,4)"),  # amounts a budget rate divides (万元)
    ("denominator", "DECIMAL(18,4)"),
    ("criteria", "INTEGER"),  # checklist: criteria checked …
    ("failed", "INTEGER"),  # … how many failed …
    ("failed_criteria", "VARCHAR"),  # … and which (criterion numbers, "2, 5")
    ("deduction", "DECIMAL(18,4)"),  # points deducted in all
    ("baseline_pct", "DECIMAL(18,4)"),  # the rate compared with …
    ("steps", "INTEGER"),  # whole steps of excess
    ("band_min_pct", "DECIMAL(18,4)"),  # the band reached: its lower edge …
    ("band_share_pct", "DECIMAL(18,4)"),  # … and its share of the weight
    ("raw_score", "DECIMAL(18,2)"),  # the score before an over-achievement deduction
    ("over_pct", "DECIMAL(18,4)"),  # (actual − target) / target
    ("over_edge_pct", "DECIMAL(18,4)"),  # the over-achievement band reached …
    ("penalty_pct", "DECIMAL(18,4)"),  # … its deduction, % of the weight …
    ("shortfall", "INTEGER"),  # grades short of the target grade (0: met or better)
    ("effect", "VARCHAR"),  # an outcome's effect: zero or reweight
    ("override_score", "DECIMAL(18,2)"),  # an approved override …
    ("override_by", "VARCHAR"),
    ("override_reason", "VARCHAR"),
)


# The parameters a rule used, once per rubric version (rubric_hash) and rule (rule_key:
# the line code of a fixed line, the rule kind of declared lines).
RULE_CONSTANTS: tuple[tuple[str, str], ...] = (
    ("rate_places", "TINYINT"),  # the rubric's places for rates
    ("numerator_column", "VARCHAR"),  # the budget extract's columns a rate divides
    ("denominator_column", "VARCHAR"),
    ("cap_pct", "DECIMAL(18,4)"),  # the rate counts at most this
    ("deduct_per", "DECIMAL(18,4)"),  # points per failed criterion or per step
    ("step_pct", "DECIMAL(18,4)"),  # percentage points of excess per step
    ("baseline_name", "VARCHAR"),  # a reference's name (市级平均差异率) …
    ("baseline_column", "VARCHAR"),  # … or last year's published rate's column
    ("lowest_band_pct", "DECIMAL(18,4)"),  # the lowest band's edge
)
# A qualitative line's band by its shortfall (every shortfall the grades allow).
GRADE_SHARES: tuple[tuple[str, str], ...] = (
    ("shortfall", "INTEGER"),
    ("share_min_pct", "DECIMAL(18,4)"),
    ("share_max_pct", "DECIMAL(18,4)"),
    ("default_share_pct", "DECIMAL(18,4)"),
)
DECLARED_KINDS = ("indicator_ratio", "indicator_bands", "graded", "outcome")


def columns_ddl(columns: tuple[tuple[str, str], ...] = LINE_COLUMNS) -> str:
    return ",\n    ".join(f"{name} {kind}" for name, kind in columns)


def facts_sql(lines: str, constants: str, shares: str) -> str:
    """The lines of ``lines`` with their rule's constants and grade band joined."""
    declared = ", ".join(f"'{k}'" for k in DECLARED_KINDS)
    return f"""SELECT l.*, c.* EXCLUDE (rubric_hash, rule_key), g.* EXCLUDE (rubric_hash, shortfall)
    FROM {lines} l
    LEFT JOIN {constants} c ON c.rubric_hash = l.rubric_hash
     AND c.rule_key = CASE WHEN l.rule_kind IN ({declared}) THEN l.rule_kind ELSE l.line_code END
    LEFT JOIN {shares} g ON g.rubric_hash = l.rubric_hash AND g.shortfall = l.shortfall"""


# How each fact is shown in a sentence: placeholder → SQL over a line_scores row. The
# line's templates are filled from this map (``sentences``).
SENTENCE_PARAMS: dict[str, str] = {
    "rubric": "'rubrics/' || rubric_id",
    "line_code": "line_code",
    "weight": "msg_num(weight)",
    "score": "msg_score(computed_score)",
    "raw_score": "msg_score(raw_score)",
    "rate": "msg_fixed(rate_pct, rate_places)",
    "rate_num": "msg_num(rate_pct)",
    "counted_rate": "CASE WHEN rate_pct > cap_pct THEN msg_num(cap_pct) "
    "ELSE msg_fixed(rate_pct, rate_places) END",
    "numerator": "msg_amount(numerator)",
    "denominator": "msg_amount(denominator)",
    "numerator_column": "numerator_column",
    "denominator_column": "denominator_column",
    "target": "target",
    "actual": "actual",
    "target_value": "msg_num(TRY_CAST(target AS DECIMAL(18,4)))",
    "actual_value": "msg_num(TRY_CAST(actual AS DECIMAL(18,4)))",
    "cap": "msg_num(cap_pct)",
    "criteria": "CAST(criteria AS VARCHAR)",
    "failed": "CAST(failed AS VARCHAR)",
    "failed_criteria": "failed_criteria",
    "deduct_per": "msg_num(deduct_per)",
    "deduction": "msg_num(deduction)",
    "unfloored": "msg_score(weight - deduction)",
    "baseline": "msg_num(baseline_pct)",
    "baseline_percent": "msg_num(baseline_pct) || '%'",
    "prior_rate": "msg_fixed(baseline_pct, rate_places)",
    "baseline_name": "baseline_name",
    "baseline_column": "baseline_column",
    "prior_year": "CAST(year - 1 AS VARCHAR)",
    "excess": "msg_num(rate_pct - baseline_pct)",
    "steps": "CAST(steps AS VARCHAR)",
    "step": "msg_num(step_pct)",
    "band_min": "msg_num(band_min_pct)",
    "band_share": "msg_num(band_share_pct)",
    "lowest_band": "msg_num(lowest_band_pct)",
    "counted_share": "msg_num(coalesce(band_share_pct, 0))",
    "over": "msg_fixed(over_pct, rate_places)",
    "over_edge": "msg_num(over_edge_pct)",
    "penalty_pct": "msg_num(penalty_pct)",
    "penalty": "msg_num(weight * penalty_pct * 0.01)",
    "shortfall": "CAST(shortfall AS VARCHAR)",
    "share_min": "msg_num(share_min_pct)",
    "share_max": "msg_num(share_max_pct)",
    "band_low": "msg_score(weight * share_min_pct * 0.01)",
    "band_high": "msg_score(weight * share_max_pct * 0.01)",
    "default_share": "msg_num(default_share_pct)",
    "effect": "effect",
    "override": "msg_score(override_score)",
    "override_by": "override_by",
    "override_reason": "override_reason",
}


def params_sql() -> str:
    """SQL of the MAP a line's templates are filled from."""
    entries = ", ".join(f"'{k}': {v}" for k, v in SENTENCE_PARAMS.items())
    return f"MAP {{{entries}}}"
