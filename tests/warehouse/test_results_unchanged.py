"""The national-scale work changed how fast scores are made, not what they are: the
bundled years and a generated year of 10,000 departments give the line scores, totals,
grades, ranks, findings and refused rows that the pipeline gave before that work began.

The digests in tests/fixtures/results-before.yaml were made by the pipeline at the
commit named there, on the same files (the file says how); ``tests/warehouse/results.py``
reduces both warehouses the same way.
"""

from pathlib import Path

import pytest
import yaml

from tests.cli import LEAN, jixiao
from tests.conftest import RUBRICS, once
from tests.warehouse.results import digest, file_hashes, generated_year

BEFORE = yaml.safe_load(
    (Path(__file__).parents[1] / "fixtures" / "results-before.yaml").read_text("utf-8")
)


def test_the_bundled_years_score_as_before(bundled_2022_2024):
    assert digest(bundled_2022_2024) == BEFORE["bundled"]["digest"]


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    """The generated year, scored by ``jixiao run``."""

    def build(folder: Path) -> Path:
        year = generated_year(folder / "raw")
        assert file_hashes(year) == BEFORE["generated"]["files"]  # the same input files
        warehouse = folder / "w.duckdb"
        run = jixiao(
            "run", "--raw-dir", folder / "raw", "--rubrics-dir", RUBRICS, "--warehouse",
            warehouse, "--year", 2023, *LEAN,
        )  # fmt: skip
        assert run.returncode == 0, run.stderr
        return warehouse

    return once(tmp_path_factory, "results-generated", build)


def test_a_generated_year_of_10000_departments_scores_as_before(generated):
    got = digest(generated)
    assert got["refusals"]["rows"] == 3  # the three spoiled cells
    assert got == BEFORE["generated"]["digest"]
