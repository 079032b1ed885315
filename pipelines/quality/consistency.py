"""Internal consistency checks behind ``reconcile.findings_sql``: budget parts against
their totals, scores against their own aggregation, this year's extracts against
last year's. Each function returns SELECTs of ``FINDING_COLUMNS`` over ``scope``: a
finding is its code and the parameters of its sentence (``finding.<code>[.<variant>]``
in ``pipelines/messages``), rendered by the warehouse view when read.
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


def params(**entries: str) -> str:
    """SQL of a finding's ``params``: a MAP of each entry's SQL as VARCHAR (NULL allowed)."""
    return "MAP {" + ", ".join(f"'{k}': CAST({v} AS VARCHAR)" for k, v in entries.items()) + "}"


def code(name: str) -> str:
    """An identifier (a column, a measure, a variant) as a SQL string literal."""
    return f"'{ident(name)}'"


def _terms(measure: str, a: str) -> tuple[str, str, dict[str, str]]:
    """(numerator SQL, denominator SQL, derivation params) of a rate over alias ``a``.

    The derivation's template is the measure's variant: ``{numerator} / {denominator}``,
    or ``|{final_accounts} − {initial_budget}| / {initial_budget}`` for the difference rate.
    """
    if measure == "budget_final_diff_rate":  # |final − initial| / initial, as rates.MEASURES
        f, i = f"{a}.final_accounts", f"{a}.initial_budget"
        shown = {"final_accounts": f"msg_amount({f})", "initial_budget": f"msg_amount({i})"}
        return f"abs({f} - {i})", i, shown
    n, d = (f"{a}.{ident(x)}" for x in MEASURES[measure])
    return n, d, {"numerator": f"msg_amount({n})", "denominator": f"msg_amount({d})"}


def derivation(measure: str, a: str) -> dict[str, str]:
    """The params that show how ``measure`` is derived from the budget row ``a``."""
    return _terms(measure, a)[2]


def _in_list(codes: list[str]) -> str:
    return ", ".join(f"'{ident(c)}'" for c in codes) or "NULL"


def aggregation_sql(rubric: Rubric) -> str:
    """A sum-aggregated node whose children all scored and weigh exactly its weight must
    score the sum of the children (otherwise the engine scales, by design). A failure
    is a bug in the engine, so it is an error. Variants: group, section, total; ``parts``
    lists the children as ``code score + …``."""
    groups = [
        g for s in rubric.sections.values() for g, x in s.groups.items() if x.aggregation == "sum"
    ]
    sections = [s for s, x in rubric.sections.items() if x.aggregation == "sum"]
    shown = params(
        variant="w.level",
        node="w.node",
        score="msg_score(w.score)",
        parts="string_agg(k.child || ' ' || msg_score(k.score), ' + ' ORDER BY k.pos)",
        sum="msg_score(sum(k.score))",
    )
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
    -- which nodes disagree, found with sums alone; only those get their parts listed (a
    -- string per node of every department would cost seconds at national scale). The
    -- children are summed before the join, on an equality key: joining every child row
    -- on IS NOT DISTINCT FROM took 6 s for a national year.
    summed AS (
        SELECT dept_code, level, coalesce(node, '') AS node_key, count(*) AS children,
               count(score) AS scored, sum(weight) AS weight, sum(score) AS score
        FROM kids GROUP BY dept_code, level, node_key),
    wrong AS (
        SELECT p.dept_code, p.level, p.node, p.score
        FROM parents p JOIN scope USING (dept_code)
        JOIN summed k ON k.dept_code = p.dept_code AND k.level = p.level
                     AND k.node_key = coalesce(p.node, '')
        WHERE k.children = k.scored AND (p.weight IS NULL OR k.weight = p.weight)
          AND k.score IS DISTINCT FROM p.score)
    SELECT w.dept_code, NULL, 'error', 'aggregation_mismatch', {shown}
    FROM wrong w JOIN kids k ON k.dept_code = w.dept_code AND k.level = w.level
                            AND k.node IS NOT DISTINCT FROM w.node
    GROUP BY w.dept_code, w.level, w.node, w.score"""


def budget_parts_sql() -> list[str]:
    """Parts against their total (variants two_parts, three_parts: with the optional part
    when the department sent it); the columns are params, shown as ``{x|column}``."""
    out = []
    for total, parts, optional in BUDGET_PARTS:
        cols = [ident(c) for c in parts]
        summed = " + ".join(f"b.{c}" for c in cols)
        present = " AND ".join(f"b.{c} IS NOT NULL" for c in [*cols, ident(total)])
        entries = {"variant": "'two_parts'"}
        for n, c in enumerate(cols, 1):
            entries |= {f"part{n}": code(c), f"amount{n}": f"msg_amount(b.{c})"}
        if optional:
            opt = ident(optional)
            summed += f" + COALESCE(b.{opt}, 0)"
            entries["variant"] = (
                f"CASE WHEN b.{opt} IS NULL THEN 'two_parts' ELSE 'three_parts' END"
            )
            entries |= {"part3": code(opt), "amount3": f"msg_amount(b.{opt})"}
        entries |= {
            "sum": f"msg_amount({summed})",
            "total": code(total),
            "total_amount": f"msg_amount(b.{ident(total)})",
            "difference": f"msg_amount({summed} - b.{ident(total)})",
        }
        out.append(f"""
        SELECT b.dept_code, NULL, 'warning', 'budget_parts_mismatch', {params(**entries)}
        FROM stg_budget b JOIN scope USING (dept_code)
        WHERE {present} AND {summed} <> b.{ident(total)}""")
    return out


def prior_rate_sql(rubric: Rubric, places: int) -> list[str]:
    """Last year's rate as the extract states it vs as last year's staged amounts give it.
    Variant ``<measure>.scored`` when the rubric scores against last year's amounts,
    ``<measure>.unscored`` when it does not."""
    scored_against = {
        p.line.rule.baseline.fallback_column
        for p in rubric.fixed_lines()
        if p.line.rule.kind == "step_deduction" and p.line.rule.baseline.kind == "prior_year"
    }
    places = int(places)
    out = []
    for col, (line, measure) in PRIOR_RATES.items():
        n, d, shown = _terms(measure, "p")
        use = "scored" if col in scored_against else "unscored"
        entries = params(
            variant=f"'{ident(measure)}.{use}'",
            column=code(col),
            stated=f"msg_fixed(ROUND(b.{ident(col)}, {places}), {places})",
            **shown,
            rate=f"msg_fixed(jx_pct({n}, {d}), {places})",
        )
        out.append(f"""
        SELECT b.dept_code, '{ident(line)}', 'info', 'prior_rate_mismatch', {entries}
        FROM stg_budget b JOIN scope USING (dept_code) JOIN prior_budget p USING (dept_code)
        WHERE b.{ident(col)} IS NOT NULL AND ROUND(b.{ident(col)}, {places}) <> jx_pct({n}, {d})""")
    return out


def line_name_drift_sql() -> str:
    entries = params(line_code="i.line_code", name="i.name", prior_name="p.name")
    return f"""
    SELECT i.dept_code, i.line_code, 'info', 'line_name_drift', {entries}
    FROM stg_indicators i JOIN scope USING (dept_code)
    JOIN prior_indicators p USING (dept_code, line_code)
    WHERE i.name <> p.name"""
