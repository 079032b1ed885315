"""python -m pipelines.reports."""

import os
import subprocess
import sys

import pytest

from pipelines.reports.__main__ import main
from tests.conftest import ROOT


def test_help_explains_the_command():
    done = subprocess.run(
        [sys.executable, "-m", "pipelines.reports", "--help"],
        capture_output=True, text=True, cwd=ROOT, check=False,
        env={k: v for k, v in os.environ.items() if k != "JIXIAO_LANG"},
    )  # fmt: skip
    assert done.returncode == 0
    for word in ("--warehouse", "--year", "--out", "--pdf", "--dept", "--lang", "fonts-noto-cjk"):
        assert word in done.stdout
    assert done.stdout.startswith("用法：") and "输出目录" in done.stdout


def test_one_department(warehouse, tmp_path, capsys):
    assert main(["--warehouse", str(warehouse), "--year", "2023", "--out", str(tmp_path),
                 "--dept", "BJ-FAO", "--format", "md"]) == 0  # fmt: skip
    assert (tmp_path / "2023" / "beijing" / "departments" / "BJ-FAO.md").exists()
    assert not (tmp_path / "2023" / "beijing" / "departments" / "BJ-FAO.html").exists()
    assert "共写出 1 个文件" in capsys.readouterr().out


def test_a_department_not_scored_that_year_is_an_error(warehouse, tmp_path, capsys):
    args = ["--warehouse", str(warehouse), "--year", "2023", "--out", str(tmp_path)]
    assert main([*args, "--dept", "SYN-004"]) == 2  # absent from 2023
    assert "2023 年未评分：SYN-004" in capsys.readouterr().err


def test_help_in_english_on_request(capsys):
    with pytest.raises(SystemExit) as done:  # in this process: the module runs above
        main(["--lang", "en", "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: ") and "output folder" in out
