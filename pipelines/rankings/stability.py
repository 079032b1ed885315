"""Rank stability: how far a department's rank moves when the weights move.

Each draw multiplies every group's score, and every line that hangs directly off a
section, by its own factor in [1 − p, 1 + p] (a ±p% change of that node's weight,
its score scaling with it), re-totals and re-ranks every department at once in SQL.
The factors come from a seeded generator, so the same year, seed and draws give the
same figures. This is a sensitivity reading for analysts, not a score: floats are
fine here, and nothing official depends on it.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

TABLE = """
CREATE TABLE IF NOT EXISTS rank_stability (
    year INTEGER NOT NULL, dept_code VARCHAR NOT NULL, jurisdiction VARCHAR,
    official_rank INTEGER, best_rank INTEGER, worst_rank INTEGER, mean_abs_shift DOUBLE,
    max_abs_shift INTEGER, draws INTEGER, perturbation_pct DOUBLE, seed BIGINT, run_id VARCHAR);
CREATE OR REPLACE VIEW v_rank_stability AS SELECT * FROM rank_stability;
"""

NODES = """
    SELECT dept_code, 'group:' || "group" AS node, score FROM group_scores WHERE year = $year
    UNION ALL
    SELECT dept_code, 'line:' || line_code, final_score FROM line_scores
    WHERE year = $year AND "group" IS NULL AND final_score IS NOT NULL"""


@dataclass(frozen=True)
class Settings:
    draws: int = 200
    perturbation_pct: float = 10.0
    seed: int = 2023


def rank_stability(
    con: duckdb.DuckDBPyConnection, year: int, run_id: str, settings: Settings = Settings()
) -> int:
    """Replace the year's rank_stability rows; return how many departments were ranked."""
    con.execute(TABLE)
    nodes = [
        n
        for (n,) in con.execute(
            f"SELECT DISTINCT node FROM ({NODES}) ORDER BY node", {"year": year}
        ).fetchall()
    ]
    rng = np.random.default_rng([settings.seed, year])
    p = settings.perturbation_pct / 100
    drawn = rng.uniform(1 - p, 1 + p, size=settings.draws * len(nodes))
    drawn = drawn.reshape(settings.draws, len(nodes))
    # Wide: one row per department (a column per node) × one row per draw (a factor per
    # node), so a draw's total is one expression, not a join and a sum over every node.
    names = [f"n{i}" for i in range(len(nodes))]
    factors = pd.DataFrame(drawn, columns=names).assign(draw=np.arange(settings.draws))
    scores = ", ".join(
        f"sum(score) FILTER (WHERE node = '{node.replace(chr(39), chr(39) * 2)}') AS {n}"
        for node, n in zip(nodes, names, strict=True)
    )
    total = " + ".join(f"coalesce(w.{n} * f.{n}, 0)" for n in names) or "0"
    con.register("_factors", factors)
    try:
        con.execute("BEGIN TRANSACTION")
        con.execute("DELETE FROM rank_stability WHERE year = ?", [year])
        con.execute(
            f"""INSERT INTO rank_stability
            WITH official AS MATERIALIZED (
                SELECT dept_code, jurisdiction, rank FROM v_department_scores
                WHERE year = $year),
            wide AS (SELECT dept_code, {scores or "NULL AS none"} FROM ({NODES})
                     GROUP BY dept_code),
            totals AS (
                SELECT o.jurisdiction, w.dept_code, f.draw,
                       round({total}, 6) AS total  -- ties stay ties
                FROM wide w JOIN official o USING (dept_code) CROSS JOIN _factors f),
            ranked AS (SELECT *, rank() OVER (PARTITION BY jurisdiction, draw
                                              ORDER BY total DESC) AS rank FROM totals)
            SELECT $year, r.dept_code, r.jurisdiction, o.rank, min(r.rank), max(r.rank),
                   round(avg(abs(r.rank - o.rank)), 2), max(abs(r.rank - o.rank)),
                   $draws, $pct, $seed, $run_id
            FROM ranked r JOIN official o USING (dept_code)
            GROUP BY r.dept_code, r.jurisdiction, o.rank
            ORDER BY r.dept_code""",
            {
                "year": year,
                "draws": settings.draws,
                "pct": settings.perturbation_pct,
                "seed": settings.seed,
                "run_id": run_id,
            },
        )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    finally:
        con.unregister("_factors")
    (n,) = con.execute("SELECT count(*) FROM rank_stability WHERE year = ?", [year]).fetchone()
    return n
