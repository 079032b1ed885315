"""Internal consistency checks behind ``reconcile.findings_sql``: budget parts against
their totals, scores against their own aggregation, this year's extracts against
last year's. Each function returns SELECTs of ``FINDING_COLUMNS`` over ``scope``.
"""

from __future__ import annotations

from pipelines.rubric import Rubric
from pipelines.scoring.rates import MEASURES
from pipelines.scoring.sql import ident

# total ← parts (+ an optional part counted as 0 when absent). The carryover splits are
# optional columns, so they are only compared when every figure is present.
BUDGET_PARTS = (
    ("full_year_budget", ("basic_budget", "project_budget"), "other_budget"),
    ("executed", ("basic_executed", "project_executed"), "other_executed"),
    ("carryover_total", ("carryover_fiscal", "carryover_nonfiscal"), None),
    ("carryover_fiscal", ("carryover_fiscal_basic", "carryover_fiscal_project"), None),
)
# last year's published rate in this year's extract → (the line it serves, the measure)
PRIOR_RATES = {
    "prior_carryover_rate": ("carryover_rate", "carryover_rate"),
    "prior_diff_rate": ("budget_final_diff", "budget_final_diff_rate"),
}


def _terms(measure: str, a: str) -> tuple[str, str, str]:
    """(numerator SQL, denominator SQL, derivation text SQL) of a rate over alias ``a``."""
    if measure == "budget_final_diff_rate":  # |final − initial| / initial, as rates.MEASURES
        f, i = f"{a}.final_accounts", f"{a}.initial_budget"
        return (
            f"abs({f} - {i})",
            i,
            f"'|' || jx_amt({f}) || ' − ' || jx_amt({i}) || '| / ' || jx_amt({i})",
        )
    n, d = (f"{a}.{ident(x)}" for x in MEASURES[measure])
    return n, d, f"jx_amt({n}) || ' / ' || jx_amt({d})"


def derivation(measure: str, a: str) -> str:
    return _terms(measure, a)[2]


def _in_list(codes: list[str]) -> str:
    return ", ".join(f"'{ident(c)}'" for c in codes) or "NULL"


def aggregation_sql(rubric: Rubric) -> str:
    """A sum-aggregated node whose children all scored and weigh exactly its weight must
    score the sum of the children (otherwise the engine scales, by design). A failure
    is a bug in the engine, so it is an error."""
    groups = [
        g for s in rubric.sections.values() for g, x in s.groups.items() if x.aggregation == "sum"
    ]
    sections = [s for s, x in rubric.sections.items() if x.aggregation == "sum"]
    return f"""
    WITH kids AS (
        SELECT dept_code, 'group' AS level, "group" AS node, line_code AS child,
               final_score AS score, weight, line_order AS pos
        FROM scored_lines WHERE "group" IN ({_in_list(groups)})
        UNION ALL SELECT dept_code, 'section', section, "group", score, weight, group_order
        FROM scored_groups WHERE section IN ({_in_list(sections)})
        UNION ALL SELECT dept_code, 'section', section, line_code, final_score, weight,
                         1000 + line_order
        FROM scored_lines WHERE "group" IS NULL AND section IN ({_in_list(sections)})
        UNION ALL SELECT dept_code, 'total', NULL, section, score, weight, section_order
        FROM scored_sections),
    parents AS (  -- the total is a plain sum of the sections: no weight to match
        SELECT dept_code, 'group' AS level, "group" AS node, score, weight FROM scored_groups
        UNION ALL SELECT dept_code, 'section', section, score, weight FROM scored_sections
        UNION ALL SELECT dept_code, 'total', NULL, uncapped_total, NULL FROM scored_departments),
    -- which nodes disagree, found with sums alone; only those get a message (a string
    -- per node of every department would cost seconds at national scale)
    wrong AS (
        SELECT p.dept_code, p.level, p.node, p.score
        FROM parents p JOIN scope USING (dept_code)
        JOIN kids k ON k.dept_code = p.dept_code AND k.level = p.level
                   AND k.node IS NOT DISTINCT FROM p.node
        GROUP BY p.dept_code, p.level, p.node, p.score, p.weight
        HAVING count(*) = count(k.score) AND (p.weight IS NULL OR sum(k.weight) = p.weight)
           AND sum(k.score) IS DISTINCT FROM p.score)
    SELECT w.dept_code, NULL, 'error', 'aggregation_mismatch',
           CASE WHEN w.level = 'total' THEN 'uncapped total' ELSE w.level || ' ' || w.node END
           || ' scores ' || jx_score(w.score) || ' but its parts sum to '
           || string_agg(k.child || ' ' || jx_score(k.score), ' + ' ORDER BY k.pos)
           || ' = ' || jx_score(sum(k.score)) || '; the scoring engine aggregated wrongly: '
           || 'report this run, the scores of this department are not reliable'
    FROM wrong w JOIN kids k ON k.dept_code = w.dept_code AND k.level = w.level
                            AND k.node IS NOT DISTINCT FROM w.node
    GROUP BY w.dept_code, w.level, w.node, w.score"""


def budget_parts_sql() -> list[str]:
    out = []
    for total, parts, optional in BUDGET_PARTS:
        cols = [ident(c) for c in parts]
        summed = " + ".join(f"b.{c}" for c in cols)
        shown = " || ' + ' || ".join(f"'{c} ' || jx_amt(b.{c})" for c in cols)
        present = " AND ".join(f"b.{c} IS NOT NULL" for c in [*cols, ident(total)])
        if optional:
            summed += f" + COALESCE(b.{ident(optional)}, 0)"
            shown += f" || COALESCE(' + {optional} ' || jx_amt(b.{optional}), '')"
        out.append(f"""
        SELECT b.dept_code, NULL, 'warning', 'budget_parts_mismatch',
               'budget extract: ' || {shown} || ' = ' || jx_amt({summed}) || ' but {total} is '
               || jx_amt(b.{total}) || ' (off by ' || jx_amt({summed} - b.{total})
               || '); correct the part or the total the department sent'
        FROM stg_budget b JOIN scope USING (dept_code)
        WHERE {present} AND {summed} <> b.{total}""")
    return out


def prior_rate_sql(rubric: Rubric, places: int) -> list[str]:
    """Last year's rate as the extract states it vs as last year's staged amounts give it."""
    scored_against = {
        p.line.rule.baseline.fallback_column
        for p in rubric.fixed_lines()
        if p.line.rule.kind == "step_deduction" and p.line.rule.baseline.kind == "prior_year"
    }
    out = []
    for col, (line, measure) in PRIOR_RATES.items():
        n, d, shown = _terms(measure, "p")
        use = (
            "the scoring uses last year''s amounts"
            if col in scored_against
            else "the rubric does not score against it"
        )
        out.append(f"""
        SELECT b.dept_code, '{ident(line)}', 'info', 'prior_rate_mismatch',
               '{ident(col)} in the budget extract is ' || jx_rate(b.{col}) || '% but last year''s '
               || 'staged amounts give ' || {shown} || ' = ' || jx_rate(jx_pct({n}, {d}))
               || '%; check which figure was published ({use})'
        FROM stg_budget b JOIN scope USING (dept_code) JOIN prior_budget p USING (dept_code)
        WHERE b.{col} IS NOT NULL AND ROUND(b.{col}, {int(places)}) <> jx_pct({n}, {d})""")
    return out


def line_name_drift_sql() -> str:
    return """
    SELECT i.dept_code, i.line_code, 'info', 'line_name_drift',
           'line ' || i.line_code || ' is named ''' || i.name || ''' this year but was '''
           || p.name || ''' last year; lines are joined on their code: check that it is '
           || 'still the same goal'
    FROM stg_indicators i JOIN scope USING (dept_code)
    JOIN prior_indicators p USING (dept_code, line_code)
    WHERE i.name <> p.name"""
