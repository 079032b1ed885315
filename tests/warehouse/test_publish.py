"""Analysts read the published snapshot while a run writes, and neither waits."""

import duckdb

from tests.cli import LEAN, jixiao, jixiao_process
from tests.conftest import RUBRICS, SEED_RAW

ARGS = ("run", *LEAN, "--raw-dir", SEED_RAW, "--rubrics-dir", RUBRICS)


def jixiao_run(warehouse):
    return jixiao(*ARGS, "--warehouse", warehouse)


def test_a_reader_holding_the_snapshot_does_not_block_a_run(tmp_path):
    published = tmp_path / "jixiao.duckdb"
    assert jixiao_run(published).returncode == 0
    analyst = duckdb.connect(str(published), read_only=True)
    (before,) = analyst.execute("SELECT max(run_id) FROM runs").fetchone()
    # another process (DuckDB's file locks are per process): writes the working file,
    # then replaces the snapshot
    done = jixiao_process(*ARGS, "--warehouse", published)
    assert done.returncode == 0, done.stderr
    # the open connection still reads the version it opened
    assert analyst.execute("SELECT max(run_id) FROM runs").fetchone() == (before,)
    analyst.close()
    with duckdb.connect(str(published), read_only=True) as fresh:
        (after,) = fresh.execute("SELECT max(run_id) FROM runs").fetchone()
    assert after != before


def test_the_snapshot_is_read_only_and_holds_the_views(tmp_path):
    published = tmp_path / "jixiao.duckdb"
    assert jixiao_run(published).returncode == 0
    assert oct(published.stat().st_mode & 0o777) == "0o444"
    with duckdb.connect(str(published), read_only=True) as con:
        total = con.execute(
            "SELECT total_score FROM v_department_scores WHERE dept_code = 'BJ-FAO'"
        ).fetchone()[0]
        views = {
            v
            for (v,) in con.execute(
                "SELECT view_name FROM duckdb_views() WHERE NOT internal"
            ).fetchall()
        }
    assert str(total) == "94.83"
    assert {"v_department_scores", "v_rankings", "v_line_scores", "v_findings"} <= views
