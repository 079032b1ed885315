"""Aggregation up the rubric tree: lines → groups → sections → total → grade.

Each group and section declares how its children combine:
- ``sum``: the children's scores add up; when lines were left out (an outcome with
  effect ``reweight``), the rest is scaled to the node's weight:
  sum × weight / applicable weight, rounded half-up;
- ``weakest_link``: weight × the lowest share (score / weight) any child achieved.
The total is the sum of the sections, then the rubric's ``total_caps`` apply; the
grade is read from the capped total.
"""

from pipelines.rubric import Rubric
from pipelines.scoring.sql import ident, lit

TABLES = """
CREATE OR REPLACE TEMP TABLE scored_groups (
    dept_code VARCHAR, section VARCHAR, "group" VARCHAR, name VARCHAR, weight DECIMAL(18,2),
    score DECIMAL(18,2), group_order INTEGER, rubric_id VARCHAR, rubric_hash VARCHAR);
CREATE OR REPLACE TEMP TABLE scored_sections (
    dept_code VARCHAR, section VARCHAR, name VARCHAR, weight DECIMAL(18,2),
    score DECIMAL(18,2), section_order INTEGER, rubric_id VARCHAR, rubric_hash VARCHAR);
CREATE OR REPLACE TEMP TABLE scored_departments (
    dept_code VARCHAR, uncapped_total DECIMAL(18,2), total_score DECIMAL(18,2), grade VARCHAR,
    rubric_id VARCHAR, rubric_hash VARCHAR);
"""


def _combine(children: str, nodes: str, key: str) -> str:
    """Per department and node: the combined score of ``children(dept_code, node, score,
    weight)`` under the node's weight and aggregation in ``nodes``."""
    scored = "FILTER (WHERE c.score IS NOT NULL)"
    return f"""
    SELECT c.dept_code, c.node,
      CASE WHEN n.aggregation = 'weakest_link'
           THEN jx_quot(n.weight * arg_min(c.score, c.score / c.weight) {scored},
                        arg_min(c.weight, c.score / c.weight) {scored})
           WHEN sum(c.weight) {scored} = n.weight THEN sum(c.score)
           ELSE jx_quot(n.weight * sum(c.score), sum(c.weight) {scored}) END AS score
    FROM {children} c JOIN {nodes} n ON n.{key} = c.node
    GROUP BY c.dept_code, c.node, n.weight, n.aggregation"""


def aggregate(con, rubric: Rubric, rubric_hash: str) -> None:
    params = [rubric.id, rubric_hash]
    con.execute(
        f"""INSERT INTO scored_groups
        WITH c AS (SELECT dept_code, "group" AS node, final_score AS score, weight
                   FROM scored_lines WHERE rubric_id = ? AND rubric_hash = ?
                   AND "group" IS NOT NULL),
             a AS ({_combine("c", "rubric_groups", '"group"')})
        SELECT a.dept_code, g.section, a.node, g.name, g.weight, a.score, g.group_order, ?, ?
        FROM a JOIN rubric_groups g ON g."group" = a.node""",
        params + params,
    )
    con.execute(
        f"""INSERT INTO scored_sections
        WITH c AS (SELECT dept_code, section AS node, score, weight FROM scored_groups
                   WHERE rubric_id = ? AND rubric_hash = ?
                   UNION ALL
                   SELECT dept_code, section, final_score, weight FROM scored_lines
                   WHERE rubric_id = ? AND rubric_hash = ? AND "group" IS NULL),
             a AS ({_combine("c", "rubric_sections", "section")})
        SELECT a.dept_code, a.node, s.name, s.weight, a.score, s.section_order, ?, ?
        FROM a JOIN rubric_sections s ON s.section = a.node""",
        params * 3,
    )
    cap = _cap_sql(rubric)
    con.execute(
        f"""INSERT INTO scored_departments
        WITH t AS (SELECT dept_code, sum(score) AS total FROM scored_sections
                   WHERE rubric_id = ? AND rubric_hash = ? GROUP BY dept_code),
             c AS (SELECT t.*, {cap} AS cap FROM t LEFT JOIN scored_rates r USING (dept_code)),
             f AS (SELECT dept_code, total, COALESCE(LEAST(total, cap), total) AS final FROM c)
        SELECT f.dept_code, f.total, f.final, arg_max(b.grade, b.min_total), ?, ?
        FROM f JOIN rubric_grade_bounds b ON f.final >= b.min_total
        GROUP BY f.dept_code, f.total, f.final""",
        params + params,
    )


def _cap_sql(rubric: Rubric) -> str:
    """The first of the rubric's total caps whose rate range holds the department."""
    if not rubric.total_caps:
        return "CAST(NULL AS DECIMAL(18,2))"
    whens = " ".join(
        f"WHEN r.{ident(c.measure)} >= {lit(c.min_pct)} AND r.{ident(c.measure)} < "
        f"{lit(c.below_pct)} THEN {lit(c.cap)}"
        for c in rubric.total_caps
    )
    return f"CASE {whens} END"


def findings_sql(rubric: Rubric) -> list[str]:
    """Info findings for re-weighted groups and capped totals: a code and the parameters
    of its sentence (``finding.<code>`` in ``pipelines/messages``)."""
    places = int(rubric.numbers.rate_places)
    left_out = "FILTER (WHERE l.final_score IS NULL)"
    applicable = "FILTER (WHERE l.final_score IS NOT NULL)"
    out = [
        f"""SELECT l.dept_code, NULL, 'info', 'group_reweighted', MAP {{
               'group': l."group",
               'left_out_weight': msg_num(sum(l.weight) {left_out}),
               'left_out': string_agg(l.line_code, ', ' ORDER BY l.line_code) {left_out},
               'score_sum': msg_score(sum(l.final_score)),
               'applicable_weight': msg_num(sum(l.weight) {applicable}),
               'weight': msg_num(any_value(g.weight)),
               'score': msg_score(any_value(g.score))}}
        FROM scored_lines l JOIN scope USING (dept_code)
        JOIN scored_groups g USING (dept_code, "group")
        GROUP BY l.dept_code, l."group" HAVING count(*) {left_out} > 0"""
    ]
    for c in rubric.total_caps:
        m = ident(c.measure)
        out.append(f"""
        SELECT d.dept_code, NULL, 'info', 'total_capped', MAP {{
               'uncapped': msg_score(d.uncapped_total), 'cap': msg_num({lit(c.cap)}),
               'measure': '{m}', 'rate': msg_fixed(r.{m}, {places}),
               'min': msg_num({lit(c.min_pct)}), 'below': msg_num({lit(c.below_pct)})}}
        FROM scored_departments d JOIN scope USING (dept_code)
        JOIN scored_rates r USING (dept_code)
        WHERE d.total_score < d.uncapped_total AND r.{m} >= {lit(c.min_pct)}
          AND r.{m} < {lit(c.below_pct)} AND d.total_score = {lit(c.cap)}""")
    return out
