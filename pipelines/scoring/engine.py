"""Scoring a year: every rule kind over every department at once, then sections,
totals and grades. Pure SQL on the connection it is given.

Inputs (temp views or tables on ``con``): ``stg_departments``, ``stg_budget``,
``stg_indicators``, ``stg_checklist``, ``stg_overrides``, ``prior_budget`` and
``unscorable(dept_code)``. Outputs (temp tables): ``scored_lines``,
``scored_sections``, ``scored_groups``, ``scored_departments``, ``scored_findings``
and ``scored_rates``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import duckdb

from pipelines.rubric import Rubric
from pipelines.rubric.library import RubricInUse
from pipelines.scoring import aggregate, rates
from pipelines.scoring.rules import (
    FINDING_COLUMNS,
    LINE_COLUMNS,
    banded_lookup,
    checklist,
    graded,
    indicator_bands,
    indicator_ratio,
    outcomes,
    ratio,
    step_deduction,
)
from pipelines.scoring.sql import create_macros, label_literal

OUTPUTS = """
CREATE OR REPLACE TEMP TABLE scored_lines (
    dept_code VARCHAR, line_code VARCHAR, section VARCHAR, "group" VARCHAR, subgroup VARCHAR,
    name VARCHAR, rule_kind VARCHAR, weight DECIMAL(18,2), target VARCHAR, actual VARCHAR,
    rate_pct DECIMAL(18,4), computed_score DECIMAL(18,2), assessed_score DECIMAL(18,2),
    final_score DECIMAL(18,2), explanation VARCHAR, section_order INTEGER,
    group_order INTEGER, line_order INTEGER, rubric_id VARCHAR, rubric_hash VARCHAR);
CREATE OR REPLACE TEMP TABLE scored_findings (
    dept_code VARCHAR, line_code VARCHAR, severity VARCHAR, code VARCHAR, message VARCHAR);
"""


# A check: rubric → SELECTs of FINDING_COLUMNS, run once a rubric's departments are
# scored (with its scope and macros in place); e.g. pipelines.quality.reconcile.
FindingChecks = Callable[[Rubric], list[str]]


def score_year(
    con: duckdb.DuckDBPyConnection,
    year: int,
    rubrics: list[RubricInUse],
    checks: Sequence[FindingChecks] = (),
) -> None:
    con.execute(OUTPUTS)
    con.execute(aggregate.TABLES)
    con.execute(rates.table_ddl(temp=True))
    for used in rubrics:
        _score_rubric(con, year, used, checks)


def _score_rubric(con, year: int, used: RubricInUse, checks: Sequence[FindingChecks]) -> None:
    rubric = used.rubric
    create_macros(con, rubric.numbers.rate_places, rubric.numbers.score_places)
    _load_rubric_tables(con, rubric)
    con.execute(
        """CREATE OR REPLACE TEMP TABLE scope AS
           SELECT dept_code FROM stg_departments WHERE jurisdiction = ?
           AND dept_code NOT IN (SELECT dept_code FROM unscorable)""",
        [rubric.jurisdiction],
    )
    con.execute(rates.insert_sql())
    lines, findings = _rule_sql(rubric, year)
    # positional union; the alias names the columns every rule SELECT yields in order
    union = " UNION ALL ".join(f"SELECT * FROM ({q})" for q in lines)
    con.execute(
        f"""INSERT INTO scored_lines
        SELECT l.dept_code, l.line_code, l.section, l."group", l.subgroup, l.name, l.rule_kind,
               l.weight, l.target, l.actual, l.rate_pct, l.computed_score, l.assessed_score,
               COALESCE(o.score, l.computed_score),
               l.explanation || CASE WHEN o.score IS NULL THEN '' ELSE
                   '; overridden to ' || jx_score(o.score) || ' (approved by ' || o.approved_by
                   || ': ' || o.reason || ')' END,
               rs.section_order, COALESCE(rg.group_order, 1000), l.line_order, ?, ?
        FROM ({union}) AS l({LINE_COLUMNS})
        JOIN rubric_sections rs USING (section)
        LEFT JOIN rubric_groups rg ON rg."group" = l."group"  -- a section's own lines come last
        LEFT JOIN stg_overrides o USING (dept_code, line_code)""",
        [rubric.id, used.hash],
    )
    findings.append("""
        SELECT o.dept_code, o.line_code, 'info', 'override_applied',
               'computed ' || jx_score(l.computed_score) || ' replaced by ' || jx_score(o.score)
               || ', approved by ' || o.approved_by || ': ' || o.reason
        FROM stg_overrides o JOIN scored_lines l USING (dept_code, line_code)""")
    aggregate.aggregate(con, rubric, used.hash)
    for q in findings + aggregate.findings_sql(rubric) + [q for c in checks for q in c(rubric)]:
        con.execute(f"INSERT INTO scored_findings SELECT * FROM ({q}) AS f({FINDING_COLUMNS})")


def _rule_sql(rubric: Rubric, year: int) -> tuple[list[str], list[str]]:
    label = label_literal(rubric.id)
    places = rubric.numbers.score_places
    lines, findings = [], []
    for placed in rubric.fixed_lines():
        kind = placed.line.rule.kind
        if kind == "ratio":
            lines.append(ratio.lines_sql(placed.code, placed.line, label, places))
        elif kind == "checklist":
            lines.append(checklist.lines_sql(placed.code, placed.line, label, places))
        elif kind == "banded_lookup":
            lines.append(banded_lookup.lines_sql(placed.code, placed.line, label, places))
        elif kind == "step_deduction":
            lines.append(step_deduction.lines_sql(placed.code, placed.line, label, places, year))
            found = step_deduction.findings_sql(placed.code, placed.line, year)
            findings += [found] if found else []
        else:  # the rubric schema admits no other kind; a new kind needs a module here
            raise NotImplementedError(kind)
    if rubric.indicator_rules and rubric.declared_groups():
        rules = rubric.indicator_rules
        quantitative = {"indicator_ratio": indicator_ratio, "indicator_bands": indicator_bands}
        kind = quantitative[rules.quantitative.kind]
        lines.append(kind.lines_sql(rules.quantitative, label, places))
        outcome_lines = outcomes.lines_sql(rules, label)
        lines += [outcome_lines] if outcome_lines else []
        lines.append(graded.lines_sql(rules.qualitative, label, places))
        findings.append(graded.findings_sql(rules.qualitative))
    return lines, findings


def _load_rubric_tables(con, rubric: Rubric) -> None:
    con.execute("""
        CREATE OR REPLACE TEMP TABLE rubric_sections (
            section VARCHAR, name VARCHAR, weight DECIMAL(18,4), section_order INTEGER,
            aggregation VARCHAR);
        CREATE OR REPLACE TEMP TABLE rubric_groups ("group" VARCHAR, section VARCHAR,
            name VARCHAR, weight DECIMAL(18,4), declared BOOLEAN, group_order INTEGER,
            aggregation VARCHAR);
        CREATE OR REPLACE TEMP TABLE rubric_lines (line_code VARCHAR, section VARCHAR,
            "group" VARCHAR, name VARCHAR, weight DECIMAL(18,4), line_order INTEGER);
        CREATE OR REPLACE TEMP TABLE rubric_grades (grade VARCHAR, pos INTEGER);
        CREATE OR REPLACE TEMP TABLE rubric_grade_bands (shortfall INTEGER,
            min_share DECIMAL(18,4), max_share DECIMAL(18,4), default_share DECIMAL(18,4));
        CREATE OR REPLACE TEMP TABLE rubric_grade_bounds (grade VARCHAR, min_total DECIMAL(18,4));
    """)
    sections, groups = [], []
    for i, (s_code, s) in enumerate(rubric.sections.items(), start=1):
        sections.append((s_code, s.name, s.weight, i, s.aggregation))
        for j, (g_code, g) in enumerate(s.groups.items(), start=1):
            groups.append((g_code, s_code, g.name, g.weight, g.declared, j, g.aggregation))
    lines = [
        (p.code, p.section, p.group, p.line.name, p.line.weight, i)
        for i, p in enumerate(rubric.fixed_lines(), start=1)
    ]
    _insert(con, "rubric_sections", sections)
    _insert(con, "rubric_groups", groups)
    _insert(con, "rubric_lines", lines)
    _insert(con, "rubric_grade_bounds", [(b.grade, b.min_total) for b in rubric.grades.bands])
    if rubric.indicator_rules:
        q = rubric.indicator_rules.qualitative
        _insert(con, "rubric_grades", [(g, i) for i, g in enumerate(q.grades)])
        _insert(
            con,
            "rubric_grade_bands",
            [
                (i, b.min_share_pct, b.max_share_pct, b.default_share_pct)
                for i, b in enumerate(q.bands_by_shortfall)
            ],
        )


def _insert(con, table: str, rows: list[tuple]) -> None:
    if rows:
        marks = ", ".join("?" * len(rows[0]))
        con.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
