"""The benchmark harness at a tiny size: it runs every measurement and its figures add
up. Times are printed, never asserted (they depend on the machine)."""

from __future__ import annotations

import csv
import json
import sys

from benchmarks.__main__ import main
from benchmarks.child import measure


def test_a_tiny_size_measures_every_stage_the_command_and_the_references_agree(tmp_path, capsys):
    out = tmp_path / "results.json"
    argv = ["--units", "40", "--years", "2", "--data", str(tmp_path), "--json", str(out)]

    assert main([*argv, "--command-env", "JIXIAO_BULK_BYTES=0"]) == 0

    [result] = json.loads(out.read_text())["sizes"]
    raw = tmp_path / "40u-30l-2y-csv-realism"
    with (raw / "spoiled.csv").open(encoding="utf-8", newline="") as f:
        spoiled = list(csv.DictReader(f))
    unscored = {(int(r["year"]), r["dept_code"]) for r in spoiled}
    # 40 departments × 2 years, less the generator's one department that sits out a year
    # (with 2 years, the second: pipelines/samples/generate.py) and those refused
    departments = 40 * 2 - 1 - len(unscored)
    assert result["ours"]["departments"] == departments
    assert result["ours"]["line_rows"] == departments * 30
    assert set(result["ours"]["seconds"]) >= {"read", "stage", "score", "rank", "publish"}
    # like is compared with like: the references leave out the rows spoiled on purpose
    assert result["reference"]["disagreements"] == 0
    assert result["set_based"]["disagreements"] == 0

    command = result["command"]
    assert command["ok"] and command["disagreements"] == 0
    assert command["env"]["JIXIAO_BULK_BYTES"] == "0"
    assert [y["year"] for y in command["years"]] == [2023, 2024]
    held = 0
    for year in command["years"]:
        assert year["command"][1:] == [
            "run", "--raw-dir", str(raw.resolve()), "--warehouse", command["warehouse"],
            "--year", str(year["year"]), "--no-reports",
        ]  # fmt: skip
        assert year["refused_rows"] == sum(int(r["year"]) == year["year"] for r in spoiled)
        assert year["departments_held"] == held + year["scored"]
        held = year["departments_held"]
        assert year["peak_mib"] > 0 and year["tree_peak_mib"] > 0
    assert held == departments

    printed = capsys.readouterr().out
    assert f"| 40 × 30 × 2 | {departments * 30:,} |" in printed
    assert "| 40 × 30 × 2 | 2024 |" in printed  # the command's years, one by one


CHILDREN = """
import os, subprocess, sys, time
held = b"x" * (120 * 2**20)
child = subprocess.Popen([sys.executable, "-c",
    "import time; held = b'x' * (240 * 2**20); time.sleep(2)"])
child.wait()
print("bye", os.environ["JX_PROBE"], file=sys.stderr)
sys.exit(int(os.environ["JX_EXIT"]))
"""


def test_the_command_wrapper_reports_the_largest_process_and_the_tree(tmp_path):
    done = measure(
        "benchmarks.command", "--cwd", tmp_path, "--env=JX_PROBE=seen", "--env=JX_EXIT=3",
        "--", sys.executable, "-c", CHILDREN,
    )  # fmt: skip

    assert done["returncode"] == 3
    assert "bye seen" in done["output_tail"]
    # the largest single process (the grandchild, 240 MiB), not the sum of the two
    assert 240 <= done["peak_mib"] < 240 + 120
    # both at once, sampled while the grandchild held its memory
    assert done["tree_peak_mib"] >= 240 + 120
