"""python -m pipelines.reports."""

import subprocess
import sys

from pipelines.reports.__main__ import main
from tests.conftest import ROOT


def test_help_explains_the_command():
    done = subprocess.run(
        [sys.executable, "-m", "pipelines.reports", "--help"],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    assert done.returncode == 0
    for word in ("--warehouse", "--year", "--out", "--pdf", "--dept", "fonts-noto-cjk"):
        assert word in done.stdout


def test_one_department(warehouse, tmp_path, capsys):
    assert main(["--warehouse", str(warehouse), "--year", "2023", "--out", str(tmp_path),
                 "--dept", "BJ-FAO", "--format", "md"]) == 0  # fmt: skip
    assert (tmp_path / "2023" / "beijing" / "departments" / "BJ-FAO.md").exists()
    assert not (tmp_path / "2023" / "beijing" / "departments" / "BJ-FAO.html").exists()
    assert "file(s)" in capsys.readouterr().out


def test_a_department_not_scored_that_year_is_an_error(warehouse, tmp_path, capsys):
    args = ["--warehouse", str(warehouse), "--year", "2023", "--out", str(tmp_path)]
    assert main([*args, "--dept", "SYN-004"]) == 2  # absent from 2023
    assert "not scored in 2023: SYN-004" in capsys.readouterr().err
