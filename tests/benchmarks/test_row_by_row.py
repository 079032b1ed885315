"""The benchmark's row-by-row reference scores what the pipeline scores.

Expected values come from outside the reference: the published seed table
(tests/golden/seed-2023-expected.yaml) and the real pipeline run on the same raw years.
"""

from decimal import Decimal

import duckdb
import pytest
import yaml

from benchmarks.row_by_row import read_year, run, score_year
from pipelines.rubric.library import RubricLibrary
from tests.conftest import GOLDEN, RAW, RUBRICS

YEARS = [2022, 2023, 2024]  # in order: each year's carryover compares with the one before


def rubrics_of(year: int):
    library = RubricLibrary(RUBRICS)
    return lambda jurisdiction: library.get(jurisdiction, year).rubric


@pytest.fixture(scope="module")
def reference() -> dict[int, dict[str, tuple[Decimal, str]]]:
    scores, prior = {}, None
    for year in YEARS:
        current = read_year(RAW, year)
        scores[year] = score_year(current, rubrics_of(year), prior)
        prior = current
    return scores


@pytest.fixture(scope="module")
def pipeline(bundled_2022_2024) -> dict[int, dict[str, tuple[Decimal, str]]]:
    """The real pipeline's scores of raw/ (YEARS, scored in order once per session)."""
    with duckdb.connect(str(bundled_2022_2024), read_only=True) as con:
        rows = con.execute(
            "SELECT year, dept_code, total_score, grade FROM v_department_scores"
        ).fetchall()
    scores = {year: {} for year in YEARS}
    for year, dept, total, grade in rows:
        scores[year][dept] = (total, grade)
    return scores


def test_seed_department_scores_the_published_total(reference):
    golden = yaml.safe_load(GOLDEN.read_text("utf-8"))
    total, grade = reference[2023]["BJ-FAO"]
    assert total == Decimal(str(golden["total"])) == Decimal("94.83")
    assert grade == golden["grade"] == "优"


@pytest.mark.parametrize("year", YEARS)
def test_every_department_agrees_with_the_pipeline(reference, pipeline, year):
    assert pipeline[year], "the pipeline scored nothing"
    assert reference[year].keys() == pipeline[year].keys()
    differ = {
        d: (reference[year][d], pipeline[year][d])
        for d in pipeline[year]
        if reference[year][d] != pipeline[year][d]
    }
    assert not differ


def test_run_writes_one_row_per_scored_department(reference, tmp_path):
    out = tmp_path / "reference.duckdb"
    seconds = run(RAW, YEARS, RUBRICS, out)
    assert set(seconds) == {"read", "score", "write"}
    with duckdb.connect(str(out), read_only=True) as con:
        (count,) = con.execute("SELECT count(*) FROM department_scores").fetchone()
        seed = con.execute(
            "SELECT total_score, grade FROM department_scores "
            "WHERE year = 2023 AND dept_code = 'BJ-FAO'"
        ).fetchone()
    assert count == sum(len(scores) for scores in reference.values())
    assert seed == reference[2023]["BJ-FAO"]


def test_a_rule_option_it_does_not_implement_is_refused():
    rubric = RubricLibrary(RUBRICS).get("beijing", 2023).rubric
    section = rubric.sections["budget_management"]
    line = section.lines["budget_final_diff"]
    proportional = line.model_copy(
        update={"rule": line.rule.model_copy(update={"proportional": True})}
    )
    changed = rubric.model_copy(
        update={
            "sections": {
                **rubric.sections,
                "budget_management": section.model_copy(
                    update={"lines": {**section.lines, "budget_final_diff": proportional}}
                ),
            }
        }
    )
    with pytest.raises(NotImplementedError, match="proportional"):
        score_year(read_year(RAW, 2023), lambda _: changed)
