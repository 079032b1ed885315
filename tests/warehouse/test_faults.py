"""Faults: a run killed mid-write, and two years written at the same time."""

import os
import signal
import subprocess
import sys
import time

import duckdb
import pytest

from pipelines.rubric.library import RubricLibrary
from pipelines.samples import generate
from tests.conftest import ROOT, RUBRICS


def jixiao(*args, wait=True):
    cmd = [sys.executable, "-m", "pipelines.cli", "run", "--rubrics-dir", str(RUBRICS), "--no-reports"]
    cmd += map(str, args)
    if not wait:
        return subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False, timeout=600)


@pytest.fixture(scope="module")
def raw(tmp_path_factory):
    out = tmp_path_factory.mktemp("raw")
    library = RubricLibrary(RUBRICS)
    generate(
        out,
        [2022, 2023],
        150,
        lambda y: library.get("beijing", y).rubric,
        include_seed_department=False,
    )
    return out


def scores(path):
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(
            "SELECT year, dept_code, total_score, run_id FROM department_scores ORDER BY ALL"
        ).fetchall()


@pytest.mark.parametrize("delay", [0.5, 1.5, 3.0])
def test_a_run_killed_with_sigkill_leaves_the_published_state_and_the_next_run_completes(
    raw, tmp_path, delay
):
    published = tmp_path / "w.duckdb"
    first = jixiao("--raw-dir", raw, "--warehouse", published, "--year", 2023)
    assert first.returncode == 0, first.stderr
    before = scores(published)
    victim = jixiao("--raw-dir", raw, "--warehouse", published, "--year", 2023, wait=False)
    time.sleep(delay)
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait()
    assert victim.returncode == -signal.SIGKILL
    assert scores(published) == before  # analysts still see the last good state
    again = jixiao("--raw-dir", raw, "--warehouse", published, "--year", 2023)
    assert again.returncode == 0, again.stderr
    after = scores(published)
    assert [r[:3] for r in after] == [r[:3] for r in before]  # same inputs, same scores
    assert {r[3] for r in after} != {r[3] for r in before}  # written by the new run


def test_two_years_written_at_once_take_turns_and_both_land(raw, tmp_path):
    published = tmp_path / "w.duckdb"
    runs = [
        jixiao("--raw-dir", raw, "--warehouse", published, "--year", y, wait=False)
        for y in (2022, 2023)
    ]
    outputs = [p.communicate(timeout=600) for p in runs]
    for p, (_, err) in zip(runs, outputs, strict=True):
        assert p.returncode == 0, err.decode()
    years = {y for y, *_ in scores(published)}
    assert years == {2022, 2023}
