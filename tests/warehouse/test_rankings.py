"""Rankings: ties share a rank, percentiles, rank change, grade shares, stability."""

from decimal import Decimal

import duckdb
import pytest

from pipelines.annual import run_year
from pipelines.rankings.stability import Settings, rank_stability
from tests.conftest import RAW, RUBRICS


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    path = tmp_path_factory.mktemp("rank") / "w.duckdb"
    for year in (2022, 2023):
        run_year(RAW, RUBRICS, path, year, run_id=f"r{year}")
    return path


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
        settings = Settings(draws=50, perturbation_pct=10, seed=7)
        assert rank_stability(con, 2023, "a", settings) == 40
        first = con.execute("SELECT * EXCLUDE (run_id) FROM rank_stability ORDER BY ALL").fetchall()
        rank_stability(con, 2023, "b", settings)
        again = con.execute("SELECT * EXCLUDE (run_id) FROM rank_stability ORDER BY ALL").fetchall()
        twins = con.execute(
            "SELECT best_rank, worst_rank, mean_abs_shift FROM rank_stability "
            "WHERE dept_code IN ('SYN-002', 'SYN-003')"
        ).fetchall()
    assert first == again
    assert twins[0] == twins[1]
    assert all(best <= official <= worst for _, _, _, official, best, worst, *_ in first)
