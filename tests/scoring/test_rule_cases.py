"""Every case in tests/scoring/*.yaml, run through the real scoring code.

A case names what it expects ("a 200% over-achievement loses 10% of the weight"),
the inputs it changes from the seed department, and the hand-calculated results.
"""

import re
from decimal import Decimal

import pytest
import yaml

from tests.scoring.harness import CASE_FILES, all_cases, run_alone, run_case

CASES = [
    pytest.param(case, id=f"{path.stem}: {case['name']}")
    for path in CASE_FILES
    for case in yaml.safe_load(path.read_text("utf-8"))["cases"]
]


def test_there_are_cases_for_every_rule_kind():
    kinds = {path.stem for path in CASE_FILES}
    assert {
        "ratio",
        "checklist",
        "step_deduction",
        "banded_lookup",
        "indicator_ratio",
        "indicator_bands",
        "graded",
        "outcomes",
        "aggregation",
    } <= kinds


def dec(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


@pytest.mark.parametrize("case", CASES)
def test_rule_case(case):
    got = run_case(case)
    expect = case["expect"]
    for line, want in expect.get("lines", {}).items():
        assert line in got["lines"], f"line {line} was not scored"
        have = got["lines"][line]
        for key in ("score", "computed", "rate"):
            if key in want:
                assert have[key] == dec(want[key]), have["explanation"]
        if "explanation" in want:  # English, word for word
            assert have["explanation"] == want["explanation"]
        if "explanation_zh" in want:  # 中文，逐字
            assert have["explanation_zh"] == want["explanation_zh"]
        assert re.search(r"[\u4e00-\u9fff]", have["explanation_zh"]), have["explanation_zh"]
        assert "{" not in have["explanation_zh"] and "‹" not in have["explanation_zh"]
    for level in ("groups", "sections"):
        for code, score in expect.get(level, {}).items():
            assert got[level][code] == dec(score), (level, code)
    if "total" in expect:
        assert got["total"] == Decimal(str(expect["total"]))
    if "grade" in expect:
        assert got["grade"] == expect["grade"]
    codes = {(line, sev, code) for line, sev, code, _ in got["findings"]}
    for f in expect.get("findings", []):
        assert (f.get("line_code"), f["severity"], f["code"]) in codes, got["findings"]
    if expect.get("no_findings"):
        assert got["findings"] == []


def test_a_case_scored_with_the_others_is_scored_as_alone():
    """The cases of a rubric are scored together, each as a department of its own; a
    case with last year's budget, one with its own indicators and one with failed
    criteria give, with the others, exactly what they give alone."""
    cases = all_cases()
    picked = [
        next(c for c in cases if "prior_budget" in c),
        next(c for c in cases if "indicators" in c and "rubric" not in c),
        next(c for c in cases if "failed_criteria" in c),
        next(c for c in cases if "rubric" in c),
    ]
    for case in picked:
        assert run_case(case) == run_alone(case), case["name"]
