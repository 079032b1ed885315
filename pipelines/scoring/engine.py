"""Scoring a year: every rule kind over every department at once, then groups,
sections, totals and grades. Pure SQL on the connection it is given.

In: the staged relations ``stg_departments``, ``stg_budget``, ``stg_indicators``,
``stg_checklist``, ``stg_overrides``, ``prior_budget``, ``prior_indicators`` and
``unscorable(dept_code)`` (``pipelines.scoring.inputs`` binds them), and the rubrics.
Out (temp tables): ``scored_lines``, ``scored_groups``, ``scored_sections``,
``scored_departments``, ``scored_rates`` and ``scored_findings``: facts, no sentences;
``scored_rule_constants`` and ``scored_grade_shares``: the rubric parameters the lines'
sentences show, once per rule. Each rubric's findings read its own ``scope`` only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import duckdb

from pipelines.rubric import Rubric
from pipelines.rubric.library import RubricInUse
from pipelines.scoring import aggregate, facts, rates
from pipelines.scoring.rules import FINDING_COLUMNS, Scope, rule_module
from pipelines.scoring.sql import create_macros

OUTPUTS = f"""
CREATE OR REPLACE TEMP TABLE scored_lines (
    {facts.columns_ddl()});
CREATE OR REPLACE TEMP TABLE scored_rule_constants (
    rubric_hash VARCHAR, rule_key VARCHAR, {facts.columns_ddl(facts.RULE_CONSTANTS)});
CREATE OR REPLACE TEMP TABLE scored_grade_shares (
    rubric_hash VARCHAR, {facts.columns_ddl(facts.GRADE_SHARES)});
CREATE OR REPLACE TEMP TABLE scored_findings (
    dept_code VARCHAR, line_code VARCHAR, severity VARCHAR, code VARCHAR,
    params MAP(VARCHAR, VARCHAR));
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
    lines, findings, constants = _rule_sql(rubric, year)
    _store_constants(con, used, constants)
    for query in lines:
        con.execute(
            f"""INSERT INTO scored_lines BY NAME
            WITH line AS ({query})
            SELECT line.* EXCLUDE (explain_keys), rs.section_order,
                   COALESCE(rg.group_order, 1000) AS group_order,  -- a section's own lines last
                   COALESCE(o.score, line.computed_score) AS final_score,
                   o.score AS override_score, o.approved_by AS override_by,
                   o.reason AS override_reason,
                   CASE WHEN o.score IS NULL THEN line.explain_keys
                        ELSE line.explain_keys || ',override' END AS explain_keys,
                   ? AS rubric_id, ? AS rubric_hash
            FROM line JOIN rubric_sections rs ON rs.section = line.section
            LEFT JOIN rubric_groups rg ON rg."group" = line."group"
            LEFT JOIN stg_overrides o USING (dept_code, line_code)""",
            [rubric.id, used.hash],
        )
    findings.append("""
        SELECT o.dept_code, o.line_code, 'info', 'override_applied',
               MAP {'computed': msg_score(l.computed_score), 'override': msg_score(o.score),
                    'approved_by': o.approved_by, 'reason': o.reason}
        FROM stg_overrides o JOIN scope USING (dept_code)
        JOIN scored_lines l USING (dept_code, line_code)""")
    aggregate.aggregate(con, rubric, used.hash)
    for q in findings + aggregate.findings_sql(rubric) + [q for c in checks for q in c(rubric)]:
        con.execute(f"INSERT INTO scored_findings SELECT * FROM ({q}) AS f({FINDING_COLUMNS})")


def _rule_sql(rubric: Rubric, year: int) -> tuple[list[str], list[str], dict[str, dict]]:
    """(line SELECTs, finding SELECTs, rule key → constants) of every rule the rubric uses."""
    lines, findings, constants = [], [], {}

    def add(kind: str, rule, scope: Scope) -> None:
        module = rule_module(kind)
        query = module.lines(rule, scope)
        lines.extend([query] if query else [])
        findings.extend(module.findings(rule, scope))
        key = scope.line.code if scope.line else kind
        constants[key] = {"rate_places": scope.rate_places, **module.constants(rule, scope)}

    for placed in rubric.fixed_lines():
        add(placed.line.rule.kind, placed.line.rule, Scope(rubric, year, placed))
    rules = rubric.indicator_rules
    if rules and rubric.declared_groups():
        scope = Scope(rubric, year)
        add(rules.quantitative.kind, rules.quantitative, scope)
        add("outcome", rules, scope)
        add(rules.qualitative.kind, rules.qualitative, scope)
    return lines, findings, constants


def _store_constants(con, used: RubricInUse, constants: dict[str, dict]) -> None:
    """The rubric parameters every rule's sentences show, once per rule, and the grade
    bands by shortfall (every shortfall the grades allow, the last band beyond)."""
    names = [name for name, _ in facts.RULE_CONSTANTS]
    _insert(
        con,
        "scored_rule_constants",
        [(used.hash, key, *(c.get(n) for n in names)) for key, c in sorted(constants.items())],
    )
    rules = used.rubric.indicator_rules
    if rules:
        bands = rules.qualitative.bands_by_shortfall
        _insert(
            con,
            "scored_grade_shares",
            [
                (used.hash, n, b.min_share_pct, b.max_share_pct, b.default_share_pct)
                for n in range(len(rules.qualitative.grades))
                for b in [bands[min(n, len(bands) - 1)]]
            ],
        )


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
