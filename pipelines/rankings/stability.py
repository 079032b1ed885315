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
    factors = pd.DataFrame(
        {
            "draw": np.repeat(np.arange(settings.draws), len(nodes)),
            "node": np.tile(nodes, settings.draws),
            "factor": rng.uniform(1 - p, 1 + p, size=settings.draws * len(nodes)),
        }
    )
    con.register("_factors", factors)
    try:
        con.execute("BEGIN TRANSACTION")
        con.execute("DELETE FROM rank_stability WHERE year = ?", [year])
        con.execute(
            f"""INSERT INTO rank_stability
            WITH parts AS ({NODES}),
            totals AS (
                SELECT d.jurisdiction, p.dept_code, f.draw,
                       round(sum(p.score * f.factor), 6) AS total  -- ties stay ties
                FROM parts p JOIN _factors f USING (node)
                JOIN v_department_scores d ON d.year = $year AND d.dept_code = p.dept_code
                GROUP BY ALL),
            ranked AS (SELECT *, rank() OVER (PARTITION BY jurisdiction, draw
                                              ORDER BY total DESC) AS rank FROM totals)
            SELECT $year, r.dept_code, r.jurisdiction, o.rank, min(r.rank), max(r.rank),
                   round(avg(abs(r.rank - o.rank)), 2), max(abs(r.rank - o.rank)),
                   $draws, $pct, $seed, $run_id
            FROM ranked r JOIN v_department_scores o ON o.year = $year
                 AND o.dept_code = r.dept_code
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
