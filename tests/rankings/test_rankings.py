"""Rankings: ties share a rank, percentiles, rank change, grade shares, stability."""

import itertools
from decimal import Decimal

import duckdb
import pytest

from pipelines.rankings.stability import Settings, rank_stability


@pytest.fixture(scope="module")
def warehouse(bundled_2022_2023):
    """raw/2022 then raw/2023 scored (shared: the tests that write work on a copy)."""
    return bundled_2022_2023


def test_ties_share_a_rank_and_the_next_rank_skips(warehouse):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        ranks = con.execute(
            "SELECT dept_code, total_score, rank FROM v_rankings WHERE year = 2023 ORDER BY rank"
        ).fetchall()
    by_code = {code: (total, rank) for code, total, rank in ranks}
    # SYN-002 and SYN-003 have identical inputs (raw/README.md): same total, same rank
    assert by_code["SYN-002"] == by_code["SYN-003"]
    tied_total, tied_rank = by_code["SYN-002"]
    sharing = [code for code, (total, _) in by_code.items() if total == tied_total]
    taken = {r for _, _, r in ranks}
    # everyone on that total shares the rank; the next rank skips past all of them
    assert {by_code[c][1] for c in sharing} == {tied_rank}
    assert not taken & set(range(tied_rank + 1, tied_rank + len(sharing)))
    assert tied_rank + len(sharing) in taken
    assert by_code["SYN-001"][1] == 40  # built to score 差, last


def test_percentile_is_the_share_that_scored_lower(warehouse):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "SELECT rank, rank_out_of, percentile FROM v_rankings WHERE year = 2023"
        ).fetchall()
        totals = [
            t
            for (t,) in con.execute(
                "SELECT total_score FROM v_rankings WHERE year = 2023"
            ).fetchall()
        ]
        (pct,) = con.execute(
            "SELECT percentile FROM v_rankings WHERE year = 2023 AND dept_code = 'BJ-FAO'"
        ).fetchone()
    lower = sum(t < Decimal("94.83") for t in totals)
    assert pct == round(100 * lower / len(totals), 1)
    assert {p for r, n, p in rows if r == n} == {0.0}


def test_rank_change_compares_with_last_year(warehouse):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        row = con.execute(
            """SELECT r.rank, r.prior_rank, r.rank_change, p.rank
               FROM v_rankings r JOIN v_rankings p ON p.year = 2022 AND p.dept_code = r.dept_code
               WHERE r.year = 2023 AND r.dept_code = 'SYN-010'"""
        ).fetchone()
        fao = con.execute(
            "SELECT prior_rank, rank_change FROM v_rankings "
            "WHERE year = 2023 AND dept_code = 'BJ-FAO'"
        ).fetchone()
    rank, prior, change, rank_2022 = row
    assert prior == rank_2022 and change == prior - rank
    assert fao == (None, None)  # BJ-FAO has no 2022 scores


def test_grade_distribution_adds_up(warehouse):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "SELECT grade, departments, share_pct FROM v_grade_distribution WHERE year = 2023"
        ).fetchall()
    assert sum(n for _, n, _ in rows) == 40
    assert abs(sum(s for _, _, s in rows) - 100) < 0.2


def test_rank_stability_is_reproducible_and_ties_move_together(warehouse, tmp_path):
    copy = tmp_path / "w.duckdb"
    copy.write_bytes(warehouse.read_bytes())
    with duckdb.connect(str(copy)) as con:
        assert rank_stability(con, 2023, "a") == 40
        first = con.execute("SELECT * EXCLUDE (run_id) FROM rank_stability ORDER BY ALL").fetchall()
        rank_stability(con, 2023, "b")
        again = con.execute("SELECT * EXCLUDE (run_id) FROM rank_stability ORDER BY ALL").fetchall()
        twins = con.execute(
            "SELECT best_rank, worst_rank, score_radius FROM rank_stability "
            "WHERE dept_code IN ('SYN-002', 'SYN-003')"
        ).fetchall()
    assert first == again
    assert twins[0] == twins[1]
    assert all(best <= official <= worst for _, _, _, official, best, worst, *_ in first)


def corner_ranks(con, year: int, pct: Decimal) -> dict[str, set[int]]:
    """Every rank each department takes at the corners of the weight box (each node's
    factor 1 − p or 1 + p), re-totalled and re-ranked in Python: ranks the weights
    can really produce, which the guaranteed interval must contain."""
    rows = con.execute(
        """SELECT dept_code, 'group:' || "group", score FROM group_scores WHERE year = ?
           UNION ALL SELECT dept_code, 'line:' || line_code, final_score FROM line_scores
           WHERE year = ? AND "group" IS NULL AND final_score IS NOT NULL""",
        [year, year],
    ).fetchall()
    scores: dict[str, dict[str, Decimal]] = {}
    for dept, node, score in rows:
        scores.setdefault(dept, {})[node] = score
    nodes = sorted({node for _, node, _ in rows})
    p = pct / 100
    seen: dict[str, set[int]] = {d: set() for d in scores}
    for corner in itertools.product((1 - p, 1 + p), repeat=len(nodes)):
        factor = dict(zip(nodes, corner, strict=True))
        totals = {d: sum(s * factor[n] for n, s in ns.items()) for d, ns in scores.items()}
        for d, t in totals.items():
            seen[d].add(1 + sum(other > t for other in totals.values()))
    return seen


def test_no_weighting_within_the_bounds_ranks_a_department_outside_its_interval(
    warehouse, tmp_path
):
    copy = tmp_path / "w.duckdb"
    copy.write_bytes(warehouse.read_bytes())
    with duckdb.connect(str(copy)) as con:
        rank_stability(con, 2023, "a")
        bounds = {
            d: (best, worst)
            for d, best, worst in con.execute(
                "SELECT dept_code, best_rank, worst_rank FROM rank_stability WHERE year = 2023"
            ).fetchall()
        }
        seen = corner_ranks(con, 2023, Decimal("10"))
    assert len(seen) == 40
    for dept, ranks in seen.items():
        best, worst = bounds[dept]
        assert best <= min(ranks) and max(ranks) <= worst, (dept, sorted(ranks), best, worst)
    # and the interval is not vacuous: most departments cannot reach the top three
    assert sum(best > 3 for best, _ in bounds.values()) >= 30


def tiny_year(con) -> None:
    """Three departments, two groups, scored by hand (the module docstring's bounds):

    X: 30 + 50 = 80, Y: 50 + 29 = 79, Z: 20 + 40 = 60. Node-wise medians: 30 and 40.
    r = 10% × Σ|s − median|: X 0 + 10 → 1.0, Y 20 + 11 → 3.1, Z 10 + 0 → 1.0.
    Intervals: X [79, 81], Y [75.9, 82.1], Z [59, 61].
    X and Y overlap, so each may take rank 1 or 2; Z is below both whatever the weights."""
    con.execute(
        """CREATE TABLE group_scores AS SELECT * FROM (VALUES
            (2023, 'X', 'a', 30.00::DECIMAL(18,2)), (2023, 'X', 'b', 50.00),
            (2023, 'Y', 'a', 50.00), (2023, 'Y', 'b', 29.00),
            (2023, 'Z', 'a', 20.00), (2023, 'Z', 'b', 40.00)) t(year, dept_code, "group", score);
        CREATE TABLE line_scores (year INTEGER, dept_code VARCHAR, "group" VARCHAR,
                                  line_code VARCHAR, final_score DECIMAL(18,2));
        CREATE VIEW v_department_scores AS
            SELECT year, dept_code, 'test' AS jurisdiction,
                   rank() OVER (ORDER BY sum(score) DESC) AS rank
            FROM group_scores GROUP BY year, dept_code"""
    )


def test_two_departments_a_point_apart_can_swap_and_one_twenty_points_behind_cannot():
    with duckdb.connect() as con:
        tiny_year(con)
        rank_stability(con, 2023, "hand")
        got = con.execute(
            """SELECT dept_code, official_rank, best_rank, worst_rank, score_radius,
                      max_abs_shift FROM rank_stability ORDER BY dept_code"""
        ).fetchall()
    assert got == [
        ("X", 1, 1, 2, Decimal("1.0000"), 1),
        ("Y", 2, 1, 2, Decimal("3.1000"), 1),
        ("Z", 3, 3, 3, Decimal("1.0000"), 0),
    ]


def test_with_weights_held_the_interval_is_the_official_rank(warehouse, tmp_path):
    copy = tmp_path / "w.duckdb"
    copy.write_bytes(warehouse.read_bytes())
    with duckdb.connect(str(copy)) as con:
        rank_stability(con, 2023, "a", Settings(perturbation_pct=Decimal("0")))
        moved = con.execute(
            "SELECT count(*) FROM rank_stability WHERE best_rank <> official_rank "
            "OR worst_rank <> official_rank"
        ).fetchone()
    assert moved == (0,)


def test_an_older_sampled_layout_is_replaced(tmp_path):
    with duckdb.connect() as con:
        tiny_year(con)
        con.execute(
            "CREATE TABLE rank_stability (year INTEGER, dept_code VARCHAR, mean_abs_shift DOUBLE,"
            " draws INTEGER)"
        )
        assert rank_stability(con, 2023, "new") == 3
