"""One module per rule kind. Each returns SQL that scores every department at once.

A line SELECT yields ``LINE_COLUMNS``; a findings SELECT yields ``FINDING_COLUMNS``.
They read the temp relations that ``pipelines.scoring.engine`` prepares: ``scope``
(departments scored with this rubric), ``fixed_line`` (the rubric's line being
scored), the ``stg_*`` staged tables and ``prior_budget`` (last year's, maybe empty).
"""

LINE_COLUMNS = (
    'dept_code, line_code, section, "group", subgroup, name, rule_kind, weight, target, '
    "actual, rate_pct, computed_score, assessed_score, explanation, line_order"
)
FINDING_COLUMNS = "dept_code, line_code, severity, code, message"
