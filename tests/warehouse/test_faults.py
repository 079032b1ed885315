"""Faults: a run killed at each named stage, and two years written at the same time.

A killed run dies where it is told to (``JIXIAO_KILL_AT``, pipelines/faults.py), never
after a sleep: the same stage is hit on every machine, fast or slow. The killed run and
the two racing runs are processes of their own; the runs before and after them (which
only set up and then resume) run in this process. None writes reports or runs the Great
Expectations suites: the stage ``checks`` is the asset check ``scores_consistent``.
"""

import os
import shutil
import signal
import subprocess
import sys

import duckdb
import pytest

from pipelines import faults
from pipelines.rubric.library import RubricLibrary
from pipelines.samples import generate
from tests.cli import LEAN
from tests.cli import jixiao as jixiao_here
from tests.conftest import ROOT, RUBRICS, once

# Stages reached before the new snapshot replaces the published one: a run killed there
# leaves analysts the old state; from the rename on, they see the new one.
BEFORE_RENAME = faults.STAGES[: faults.STAGES.index("publish_rename")]


def jixiao(*args, wait=True, kill_at=None):
    cmd = [
        sys.executable,
        "-m",
        "pipelines.cli",
        "run",
        "--rubrics-dir",
        str(RUBRICS),
        *LEAN,
    ]
    cmd += map(str, args)
    env = {k: v for k, v in os.environ.items() if k != faults.ENV}
    if kill_at:
        env[faults.ENV] = kill_at
    if not wait:
        return subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
    return subprocess.run(
        cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=600
    )


def run_here(*args):
    """``jixiao run`` in this process, as ``jixiao`` runs it otherwise."""
    return jixiao_here("run", "--rubrics-dir", RUBRICS, *LEAN, *args)


def _rubric(year):
    return RubricLibrary(RUBRICS).get("beijing", year).rubric


@pytest.fixture(scope="module")
def raw(tmp_path_factory):
    out = tmp_path_factory.mktemp("raw")
    generate(out, [2022, 2023], 40, _rubric, include_seed_department=False)
    return out


@pytest.fixture(scope="module")
def corrected(tmp_path_factory):
    """The same departments with other figures: corrected extracts for the killed run."""

    def build(out):
        generate(out, [2023], 30, _rubric, seed=7, include_seed_department=False)
        return out

    return once(tmp_path_factory, "faults-corrected", build)


@pytest.fixture(scope="module")
def last_good(tmp_path_factory):
    """A warehouse whose published 2023 is the original extracts' (built once; each test
    works on a copy of its folder)."""

    def build(folder):
        original = folder / "original"
        generate(original, [2023], 30, _rubric, include_seed_department=False)
        published = folder / "last-good" / "w.duckdb"
        first = run_here("--raw-dir", original, "--warehouse", published, "--year", 2023)
        assert first.returncode == 0, first.stderr
        return published

    return once(tmp_path_factory, "faults-last-good", build)


def scores(path):
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(
            "SELECT year, dept_code, total_score, run_id FROM department_scores ORDER BY ALL"
        ).fetchall()


def totals(path):
    return [row[:3] for row in scores(path)]


@pytest.mark.parametrize("stage", faults.STAGES)
def test_a_run_killed_at_each_stage_leaves_old_or_new_never_a_mix_and_the_next_run_completes(
    last_good, corrected, tmp_path, stage
):
    shutil.copytree(last_good.parent, tmp_path, dirs_exist_ok=True)  # as the last run left it
    published = tmp_path / last_good.name
    old = scores(published)

    victim = jixiao("--raw-dir", corrected, "--warehouse", published, "--year", 2023, kill_at=stage)
    assert victim.returncode == -signal.SIGKILL, victim.stderr  # died where it was told
    if stage in BEFORE_RENAME:
        assert scores(published) == old  # analysts still see the last good state, whole
    else:
        killed_state = totals(published)  # the corrected state, whole
        assert killed_state != [r[:3] for r in old]

    again = run_here("--raw-dir", corrected, "--warehouse", published, "--year", 2023)
    assert again.returncode == 0, again.stderr  # the lock was recovered, nothing in the way
    assert totals(published) != [r[:3] for r in old]  # the corrected figures are published
    if stage not in BEFORE_RENAME:
        assert totals(published) == killed_state
    assert not list(tmp_path.glob(f".{published.name}.*.tmp*"))  # no half-made snapshot left


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
