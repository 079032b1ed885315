"""The published snapshot opens in the DuckDB CLI the README names (duckdb-cli 1.5),
so tools built on DuckDB 1.5 read it too, while runs write with DuckDB 2.0."""

import csv
import io
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pipelines.duck import attach
from pipelines.warehouse.publish import ensure_working, publish, storage_version, working_path

CLI = Path(sys.executable).with_name("duckdb")  # installed with the project (duckdb-cli)


def cli(database: Path, sql: str) -> list[dict[str, str]]:
    done = subprocess.run(
        [str(CLI), "-readonly", "-csv", str(database), "-c", sql],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return list(csv.DictReader(io.StringIO(done.stdout)))


@pytest.fixture(scope="module")
def snapshot(seed_2023, tmp_path_factory) -> Path:
    """The seed's 2023, published (the tests only read it)."""
    published = tmp_path_factory.mktemp("analyst") / "jixiao.duckdb"
    shutil.copy(seed_2023, ensure_working(published))  # as run_year left it
    return publish(published)


def test_the_cli_of_the_readme_is_duckdb_1_5():
    done = subprocess.run([str(CLI), "--version"], capture_output=True, text=True, timeout=60)
    assert done.stdout.startswith("v1.5."), done.stdout


def test_the_duckdb_cli_reads_scores_sentences_and_findings_of_the_snapshot(snapshot):
    [row] = cli(
        snapshot,
        "SELECT total_score, grade FROM v_department_scores WHERE dept_code = 'BJ-FAO'",
    )
    assert row == {"total_score": "94.83", "grade": "优"}  # the seed's published table
    [line] = cli(
        snapshot,
        "SELECT explanation FROM v_line_scores "
        "WHERE dept_code = 'BJ-FAO' AND line_code = 'budget_execution'",
    )
    # rendered by the macros stored in the file, not by Python
    assert line["explanation"].startswith("执行数 18214.74 万元 ÷ 全年预算数 19347.12 万元")
    messages = cli(snapshot, "SELECT message FROM v_findings WHERE dept_code = 'BJ-FAO'")
    assert any("18.6213.01% %" in m["message"] for m in messages)


def test_a_warehouse_written_in_an_older_format_is_published_readable_and_converted(
    seed_2023, tmp_path
):
    published = tmp_path / "jixiao.duckdb"
    working = working_path(published)
    shutil.copy(seed_2023, working)
    # rewrite the working file in the format DuckDB 1.0 wrote
    legacy = tmp_path / "legacy.duckdb"
    with duckdb.connect() as con:
        con.execute(attach(working, "src", "READ_ONLY"))
        con.execute(attach(legacy, "dst", "STORAGE_VERSION 'v1.0.0'"))
        con.execute("COPY FROM DATABASE src TO dst")
    shutil.move(legacy, working)
    with duckdb.connect(str(working), read_only=True) as con:
        assert storage_version(con) == "v1.0.0"

    publish(published)

    assert cli(published, "SELECT count(*) AS n FROM v_department_scores") == [{"n": "1"}]
    with duckdb.connect(str(working), read_only=True) as con:
        assert storage_version(con) == "v1.5.0"  # so the next publish is a plain copy


@pytest.mark.parametrize("view", ["v_rankings", "v_line_scores", "v_rejected_rows"])
def test_the_views_analysts_rank_with_open_in_the_cli(snapshot, view):
    assert cli(snapshot, f"SELECT count(*) AS n FROM {view}")  # opens and answers
