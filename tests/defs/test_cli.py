"""`jixiao run` as a user runs it: exit status and what it prints."""

import shutil

import duckdb

from tests.cli import jixiao
from tests.conftest import RAW, RUBRICS, SEED_RAW


def test_run_scores_every_year_folder_by_default(tmp_path):
    done = jixiao(
        "run", "--raw-dir", RAW, "--rubrics-dir", RUBRICS, "--warehouse", tmp_path / "w.duckdb"
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert [line.split(" — ")[0] for line in lines[:3]] == ["2022: ok", "2023: ok", "2024: ok"]
    assert "40 of 40 department(s) scored, 0 refused row(s)" in lines[1]


def test_a_year_without_a_rubric_fails_with_its_reason_and_exit_1(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(SEED_RAW / "2023", raw / "2023")
    shutil.copytree(SEED_RAW / "2023", raw / "2019")
    done = jixiao(
        "run", "--raw-dir", raw, "--rubrics-dir", RUBRICS, "--warehouse", tmp_path / "w.duckdb"
    )
    assert done.returncode == 1
    assert "2019: FAILED" in done.stdout
    assert "no rubric for jurisdiction 'beijing' in 2019" in done.stdout
    assert "2023: ok" in done.stdout
    assert "1 of 2 year(s) failed: 2019" in done.stderr
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        assert con.execute("SELECT DISTINCT year FROM department_scores").fetchall() == [(2023,)]


def test_no_year_folders_is_a_usage_error(tmp_path):
    done = jixiao("run", "--raw-dir", tmp_path, "--warehouse", tmp_path / "w.duckdb")
    assert done.returncode == 2
    assert "no year folders" in done.stderr


def test_help_teaches_the_command():
    done = jixiao("run", "--help")
    assert done.returncode == 0
    assert "--raw-dir DIR" in done.stdout and "--warehouse FILE" in done.stdout
    assert "examples:" in done.stdout
