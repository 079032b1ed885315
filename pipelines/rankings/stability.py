"""Rank stability: the best and worst rank a department can take when weights move.

Every group's weight, and every line's that hangs directly off a section, may move by
up to ±p% (its score scales with it). The interval is guaranteed, not sampled: under
no such weighting does the department rank better than ``best_rank`` or worse than
``worst_rank``. It costs one sort per jurisdiction, whatever the number of departments.

Why it holds. Let s_d be department d's node scores and f the factors (each in
[1 − p, 1 + p], the same for everyone). Then

    S_e(f) − S_d(f) = (T_e − T_d) + Σ (f_n − 1)(s_en − s_dn)
                    ≤ (T_e − T_d) + p · Σ |s_en − s_dn|
                    ≤ (T_e − T_d) + r_e + r_d,   with r_d = p · Σ |s_dn − c_n|

for any centre c (the triangle inequality; the node-wise median keeps r small). So
d's total always lies in [T_d − r_d, T_d + r_d] relative to everyone else's:

- e can outrank d only if T_e + r_e > T_d − r_d: the worst rank counts those e;
- e outranks d under every weighting if T_e − r_e > T_d + r_d: the best rank counts those.

Exact decimals throughout: the bounds are a claim an auditor can recompute by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import duckdb

COLUMNS = {
    "year": "INTEGER NOT NULL",
    "dept_code": "VARCHAR NOT NULL",
    "jurisdiction": "VARCHAR",
    "official_rank": "INTEGER",
    "best_rank": "INTEGER",
    "worst_rank": "INTEGER",
    "max_abs_shift": "INTEGER",
    "score_radius": "DECIMAL(18,4)",  # r_d: how far the total can move against the centre
    "perturbation_pct": "DECIMAL(9,4)",
    "run_id": "VARCHAR",
}

NODES = """
    SELECT dept_code, 'group:' || "group" AS node, score FROM group_scores WHERE year = $year
    UNION ALL
    SELECT dept_code, 'line:' || line_code, final_score FROM line_scores
    WHERE year = $year AND "group" IS NULL AND final_score IS NOT NULL"""

# One row per department and end of its interval; a running count over the ends in
# descending order tells how many ends lie strictly above each (ties never outrank).
BOUNDS = f"""
WITH official AS MATERIALIZED (
    SELECT dept_code, jurisdiction, rank FROM v_department_scores
    WHERE year = $year AND ($j IS NULL OR jurisdiction = $j)),
nodes AS MATERIALIZED ({NODES}),
node_scores AS (  -- a node a department lacks counts as 0 points
    SELECT o.jurisdiction, o.dept_code, n.node, coalesce(s.score, 0) AS score
    FROM official o
    JOIN (SELECT DISTINCT o.jurisdiction, nodes.node
          FROM nodes JOIN official o USING (dept_code)) n USING (jurisdiction)
    LEFT JOIN nodes s ON s.dept_code = o.dept_code AND s.node = n.node),
centre AS (
    SELECT jurisdiction, node, quantile_disc(score, 0.5) AS score
    FROM node_scores GROUP BY jurisdiction, node),
spread AS (
    SELECT d.jurisdiction, d.dept_code, sum(d.score) AS total,
           CAST($pct AS DECIMAL(9,4)) / 100 * sum(abs(d.score - c.score)) AS radius
    FROM node_scores d JOIN centre c USING (jurisdiction, node)
    GROUP BY d.jurisdiction, d.dept_code),
ends AS (
    SELECT jurisdiction, dept_code, radius, total - radius AS score, FALSE AS upper FROM spread
    UNION ALL
    SELECT jurisdiction, dept_code, radius, total + radius, TRUE FROM spread),
counted AS (
    SELECT *,
        -- a running sum, not count(*) FILTER: the filtered window is 15× slower
        sum(CASE WHEN upper THEN 1 ELSE 0 END) OVER (
            PARTITION BY jurisdiction ORDER BY score DESC, upper ROWS UNBOUNDED PRECEDING
        ) AS uppers_above,
        sum(CASE WHEN upper THEN 0 ELSE 1 END) OVER (
            PARTITION BY jurisdiction ORDER BY score DESC, NOT upper ROWS UNBOUNDED PRECEDING
        ) AS lowers_above
    FROM ends),
per_department AS (
    SELECT dept_code, any_value(radius) AS radius,
           -- e's lower end above d's upper end: e outranks d whatever the weights
           max(lowers_above) FILTER (WHERE upper) AS always_above,
           -- e's upper end above d's lower end: e may outrank d (d's own end excluded)
           max(uppers_above) FILTER (WHERE NOT upper)
             - CASE WHEN any_value(radius) > 0 THEN 1 ELSE 0 END AS maybe_above
    FROM counted GROUP BY dept_code),
bounded AS (
    SELECT o.dept_code, o.jurisdiction, o.rank AS official_rank,
           least(o.rank, 1 + p.always_above) AS best_rank,
           greatest(o.rank, 1 + p.maybe_above) AS worst_rank, p.radius
    FROM official o JOIN per_department p USING (dept_code))
SELECT $year AS year, dept_code, jurisdiction, official_rank, best_rank, worst_rank,
       greatest(official_rank - best_rank, worst_rank - official_rank) AS max_abs_shift,
       radius AS score_radius, CAST($pct AS DECIMAL(9,4)) AS perturbation_pct,
       $run_id AS run_id
FROM bounded ORDER BY dept_code"""


@dataclass(frozen=True)
class Settings:
    perturbation_pct: Decimal = Decimal("10")


def rank_stability(
    con: duckdb.DuckDBPyConnection,
    year: int,
    run_id: str,
    settings: Settings = Settings(),
    jurisdiction: str | None = None,
) -> int:
    """Replace the year's rank_stability rows (its ``jurisdiction``'s, when given: ranks
    are within a jurisdiction); return how many departments were ranked."""
    _ensure_table(con)
    scope = {"year": year, "j": jurisdiction}
    params = {**scope, "pct": str(settings.perturbation_pct), "run_id": run_id}
    mine = "year = $year AND ($j IS NULL OR jurisdiction = $j)"
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(f"DELETE FROM rank_stability WHERE {mine}", scope)
        con.execute(f"INSERT INTO rank_stability BY NAME {BOUNDS}", params)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    (n,) = con.execute(f"SELECT count(*) FROM rank_stability WHERE {mine}", scope).fetchone()
    return n


def _ensure_table(con: duckdb.DuckDBPyConnection) -> None:
    """The table holds a derived reading, rebuilt every run: an older layout (sampled
    draws) is dropped rather than migrated."""
    have = [
        c
        for (c,) in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE database_name = current_database()"
            " AND schema_name = current_schema() AND table_name = 'rank_stability'"
            " ORDER BY column_index"
        ).fetchall()
    ]
    if have and have != list(COLUMNS):
        con.execute("DROP VIEW IF EXISTS v_rank_stability")
        con.execute("DROP TABLE rank_stability")
    columns = ", ".join(f"{name} {sql_type}" for name, sql_type in COLUMNS.items())
    con.execute(f"CREATE TABLE IF NOT EXISTS rank_stability ({columns})")
    con.execute("CREATE OR REPLACE VIEW v_rank_stability AS SELECT * FROM rank_stability")
