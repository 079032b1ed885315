"""The benchmark harness at a tiny size: it runs every measurement and its figures add
up. Times are printed, never asserted (they depend on the machine)."""

from __future__ import annotations

import json

from benchmarks.__main__ import main


def test_a_tiny_size_measures_every_stage_and_the_reference_agrees(tmp_path, capsys):
    out = tmp_path / "results.json"

    assert main(["--units", "40", "--years", "2", "--data", str(tmp_path), "--json", str(out)]) == 0

    [result] = json.loads(out.read_text())["sizes"]
    # 40 departments × 30 lines × 2 years, less the generator's one department that
    # sits out a year (with 2 years, the second: pipelines/samples/generate.py)
    assert result["ours"]["line_rows"] == 40 * 30 * 2 - 30
    assert result["ours"]["departments"] == 40 * 2 - 1
    assert set(result["ours"]["seconds"]) >= {"read", "stage", "score", "rank", "publish"}
    assert result["reference"]["disagreements"] == 0  # like is compared with like
    printed = capsys.readouterr().out
    assert "| 40 × 30 × 2 | 2,370 |" in printed
