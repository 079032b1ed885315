"""Every case in tests/rules/*.yaml, run through the real scoring code.

A case names what it expects ("a 200% over-achievement loses 10% of the weight"),
the inputs it changes from the seed department, and the hand-calculated results.
"""

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from tests.rules.harness import run_case

CASE_FILES = sorted(Path(__file__).parent.glob("*.yaml"))
CASES = [
    pytest.param(case, id=f"{path.stem}: {case['name']}")
    for path in CASE_FILES
    for case in yaml.safe_load(path.read_text("utf-8"))["cases"]
]


def test_there_are_cases_for_every_rule_kind():
    kinds = {path.stem for path in CASE_FILES}
    assert {"ratio", "indicator_ratio", "graded", "checklist", "step_deduction"} <= kinds


@pytest.mark.parametrize("case", CASES)
def test_rule_case(case):
    got = run_case(case)
    expect = case["expect"]
    for line, want in expect.get("lines", {}).items():
        assert line in got["lines"], f"line {line} was not scored"
        have = got["lines"][line]
        if "score" in want:
            assert have["score"] == Decimal(str(want["score"])), have["explanation"]
        if "computed" in want:
            assert have["computed"] == Decimal(str(want["computed"])), have["explanation"]
        if "rate" in want:
            assert have["rate"] == Decimal(str(want["rate"])), have["explanation"]
        if "explanation" in want:
            assert have["explanation"] == want["explanation"]
    if "total" in expect:
        assert got["total"] == Decimal(str(expect["total"]))
    if "grade" in expect:
        assert got["grade"] == expect["grade"]
    codes = {(line, sev, code) for line, sev, code, _ in got["findings"]}
    for f in expect.get("findings", []):
        assert (f.get("line_code"), f["severity"], f["code"]) in codes, got["findings"]
    if expect.get("no_findings"):
        assert got["findings"] == []
