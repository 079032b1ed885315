"""The benchmark's set-based reference scores what the pipeline scores.

Expected values come from outside the reference: the real pipeline run on the same
generated year (every line, section, total, grade and rank), the published seed table
(tests/golden/seed-2023-expected.yaml), and one department scored by hand.
"""

import csv
from decimal import Decimal

import duckdb
import pytest
import yaml

from benchmarks.set_based import run
from pipelines.annual import run_year
from pipelines.rubric.library import RubricLibrary
from pipelines.samples.generate import SPOILED, generate
from tests.conftest import GOLDEN, RAW, RUBRICS

YEAR = 2023


def _rows(path, sql: str, keys: int = 2) -> dict:
    """``sql``'s rows: the first ``keys`` columns → the others."""
    with duckdb.connect(str(path), read_only=True) as con:
        rows = con.execute(sql).fetchall()
    return {row[:keys]: row[keys:] for row in rows}


@pytest.fixture(scope="module")
def warehouses(tmp_path_factory):
    """(pipeline warehouse, set-based file, departments scored) for one generated year of
    300 departments, with findings and refused rows as the benchmark's (``--realism``):
    the set-based scorer is told the rows spoiled on purpose, the pipeline refuses them."""
    tmp = tmp_path_factory.mktemp("set_based")
    library = RubricLibrary(RUBRICS)
    summary = generate(
        tmp / "raw",
        [YEAR],
        300,
        lambda year: library.get("beijing", year).rubric,
        include_seed_department=False,
        fmt="parquet",
        lines=22,
        realism=True,
    )
    spoiled = tmp / "raw" / SPOILED
    refused = {r["dept_code"] for r in csv.DictReader(spoiled.read_text("utf-8").splitlines())}
    assert summary["spoiled"][YEAR] and refused
    run_year(tmp / "raw", RUBRICS, tmp / "pipeline.duckdb", YEAR)
    seconds = run(tmp / "raw", RUBRICS, tmp / "set_based.duckdb", [YEAR], leave_out=spoiled)
    assert set(seconds) == {"load", "score", "end to end"}
    return tmp / "pipeline.duckdb", tmp / "set_based.duckdb", 300 - len(refused)


def test_every_department_total_grade_and_rank_agree(warehouses):
    pipeline, set_based, scored = warehouses
    columns = "year, dept_code, total_score, grade, rank"
    ours = _rows(pipeline, f"SELECT {columns} FROM v_department_scores")
    theirs = _rows(set_based, f"SELECT {columns} FROM department_scores")
    assert len(ours) == scored
    assert theirs == ours
    # the generator's twins tie and share a rank (1, 2, 2, 4)
    assert theirs[YEAR, "SYN-002"] == theirs[YEAR, "SYN-003"]


def test_every_line_and_section_score_agrees(warehouses):
    pipeline, set_based, scored = warehouses
    for sql, count in (
        ("SELECT year, dept_code, line_code, final_score FROM line_scores", scored * 30),
        ("SELECT year, dept_code, section, score FROM section_scores", scored * 3),
    ):
        ours, theirs = _rows(pipeline, sql, keys=3), _rows(set_based, sql, keys=3)
        assert len(ours) == count
        assert theirs == ours


def test_seed_department_scores_the_published_total(tmp_path):
    # the bundled years, as CSV: 19,347.12, 6.81% and 是 as published; 2022 is 2023's prior
    run(RAW, RUBRICS, tmp_path / "s.duckdb", [2022, 2023, 2024])
    golden = yaml.safe_load(GOLDEN.read_text("utf-8"))
    where = "WHERE year = 2023 AND dept_code = 'BJ-FAO'"
    out = tmp_path / "s.duckdb"
    total = _rows(out, f"SELECT dept_code, total_score, grade FROM department_scores {where}", 1)
    sections = _rows(out, f"SELECT section, score FROM section_scores {where}", 1)
    assert total == {("BJ-FAO",): (Decimal(str(golden["total"])), golden["grade"])}
    assert sections == {
        (s,): (Decimal(str(v["score"])).quantize(Decimal("0.01")),)
        for s, v in golden["scores"].items()
    }


HAND = {  # one department's extracts, and its scores worked out by hand (beijing/2023)
    "departments.csv": "dept_code,dept_name,jurisdiction\nD,d,beijing\n",
    "budget.csv": "dept_code,full_year_budget,executed,initial_budget,final_accounts,"
    'carryover_total,prior_carryover_rate\nD,"1,000.00",945.25,1000,1400,100,7.00%\n',
    "checklist.csv": "dept_code,line_code,criterion_no,passed\n"
    "D,fin_system,1,true\nD,fin_system,2,否\nD,fin_system,3,是\n"
    "D,accounting_info,1,false\nD,accounting_info,2,N\nD,accounting_info,3,0\n"
    "D,perf_mgmt,1,1\nD,perf_mgmt,2,false\n",
    "indicators.csv": "dept_code,line_code,group,kind,target,actual,weight,direction,"
    "assessed_score\n"
    "D,output_01,output,quantitative,200,101,1,,\n"
    "D,output_02,output,quantitative,10,30,15,positive,\n"
    "D,output_03,output,quantitative,5,0,4,reverse,\n"
    "D,effect_01,effect,qualitative,优,中,10,,\n"
    "D,effect_02,effect,qualitative,良,良,10,,8.75\n"
    "D,effect_03,effect,qualitative,优,良,5,,\n",
}
HAND_LINES = {
    "budget_execution": "18.91",  # 945.25 / 1000 = 94.525% → 94.53% (half up); × 20 = 18.906
    "fin_system": "0.50",  # 1 − 1 failed × 0.5
    "fund_compliance": "2.00",  # no rows: nothing failed
    "accounting_info": "0.00",  # 1 − 3 × 0.5, floored at 0
    "asset_mgmt": "4.00",
    "perf_mgmt": "2.00",  # 4 − 1 × 2
    "carryover_rate": "2.80",  # 10.00% − 7.00% = 3 steps exactly (the edge counts): 4 − 1.2
    "budget_final_diff": "3.60",  # |1400 − 1000| / 1000 = 40% − 28.3% = 1 step of 10: 4 − 0.4
    "output_01": "0.51",  # 101 / 200 = 50.5% × 1 = 0.505 → 0.51 (half up)
    "output_02": "13.50",  # 300% capped at 100% × 15, less 10% of 15 for ≥ 200% over (edge)
    "output_03": "4.00",  # reverse with actual 0: 100%
    "effect_01": "0.00",  # two grades short: 0%
    "effect_02": "8.75",  # the assessor's score
    "effect_03": "3.00",  # one grade short: 60% × 5
}


def test_one_department_scored_by_hand(tmp_path):
    year_dir = tmp_path / "raw" / str(YEAR)
    year_dir.mkdir(parents=True)
    for name, text in HAND.items():
        (year_dir / name).write_text(text, encoding="utf-8")
    # E: a twin with an approved override (0.985 → 0.99 half up); F has no budget row
    for name in ("departments.csv", "budget.csv", "checklist.csv", "indicators.csv"):
        text = (year_dir / name).read_text("utf-8")
        twin = "".join(line.replace("D,", "E,", 1) + "\n" for line in text.splitlines()[1:])
        (year_dir / name).write_text(text + twin, encoding="utf-8")
    with (year_dir / "departments.csv").open("a", encoding="utf-8") as f:
        f.write("F,f,beijing\n")
    (year_dir / "overrides.csv").write_text(
        "dept_code,line_code,score,reason,approved_by\nE,output_01,0.985,r,a\n", encoding="utf-8"
    )
    out = tmp_path / "s.duckdb"
    run(tmp_path / "raw", RUBRICS, out, [YEAR])
    lines = _rows(out, "SELECT line_code, final_score FROM line_scores WHERE dept_code = 'D'", 1)
    assert {code: str(score) for (code,), (score,) in lines.items()} == HAND_LINES
    totals = _rows(out, "SELECT dept_code, total_score, grade, rank FROM department_scores", 1)
    # D: 18.91 + (0.51 + 13.50 + 4 + 0 + 8.75 + 3) + (0.5 + 2 + 0 + 4 + 2 + 2.8 + 3.6) = 63.57
    # E: the same with 0.99 for output_01 instead of 0.51
    assert totals == {("E",): (Decimal("64.05"), "中", 1), ("D",): (Decimal("63.57"), "中", 2)}
