"""What-if scenarios never touch the official tables, and list every change."""

import subprocess
import sys
from decimal import Decimal

import duckdb
import pytest

from pipelines.annual import run_year
from pipelines.defs import defs
from pipelines.defs.resources import resources
from pipelines.rubric.library import RubricInUse
from pipelines.rubric.load import content_hash, load_variant
from pipelines.warehouse.scenario import NoOfficialScores, score_scenario
from pipelines.warehouse.write import connect
from tests.conftest import RAW, ROOT, RUBRICS
from tests.cli import jixiao

OFFICIAL = [
    "staged_departments",
    "staged_budget",
    "staged_indicators",
    "staged_checklist",
    "line_scores",
    "group_scores",
    "section_scores",
    "department_scores",
    "budget_rates",
    "findings",
    "rejected_rows",
    "runs",
]
AVERAGE = "sections.budget_management.lines.budget_final_diff.rule.baseline.value_pct"


def official(path) -> dict:
    with duckdb.connect(str(path), read_only=True) as con:
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in OFFICIAL}


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    path = tmp_path_factory.mktemp("whatif") / "w.duckdb"
    for year in (2023, 2024):
        run_year(RAW, RUBRICS, path, year, run_id=f"official-{year}")
    return path


def diff_score(rate: Decimal, average: Decimal) -> Decimal:
    """The 2023 rule by hand: 0.4 off per whole 10 points above the average, floor 0."""
    excess = rate - average
    steps = int(excess // 10) if excess > 0 else 0
    return max(Decimal(4) - Decimal("0.4") * steps, Decimal(0))


def test_2024_under_the_2023_rubric_leaves_official_rows_byte_identical(warehouse):
    before = official(warehouse)
    rubric = load_variant("beijing/2023", RUBRICS, [f"{AVERAGE}=5"])
    with connect(warehouse) as con:
        changes = score_scenario(
            con,
            2024,
            RubricInUse(rubric, content_hash(rubric)),
            "2024 under 2023 at 5%",
            "scenario-1",
        )
    assert official(warehouse) == before
    assert len(changes) == 40
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rates = dict(
            con.execute(
                "SELECT dept_code, budget_final_diff_rate FROM budget_rates WHERE year = 2024"
            ).fetchall()
        )
    # the only difference is the diff line: 26.5% officially, 5% in the scenario
    for row in changes.itertuples(index=False):
        rate = rates[row.dept_code]
        want = diff_score(rate, Decimal(5)) - diff_score(rate, Decimal("26.5"))
        assert Decimal(str(row.total_change)).quantize(Decimal("0.01")) == want, row.dept_code
    assert (changes["total_change"] < 0).any()


def test_a_scenario_is_replaced_not_duplicated(warehouse):
    rubric = load_variant("beijing/2023", RUBRICS)
    used = RubricInUse(rubric, content_hash(rubric))
    with connect(warehouse) as con:
        score_scenario(con, 2024, used, "again", "a")
        score_scenario(con, 2024, used, "again", "b")
        (n,) = con.execute(
            "SELECT count(*) FROM scenario_department_scores WHERE scenario = 'again'"
        ).fetchone()
        usage = con.execute(
            "SELECT official, scenario FROM rubric_usage WHERE run_id IN ('a', 'b')"
        ).fetchall()
    assert n == 40
    assert usage == [(False, "again"), (False, "again")]


def test_a_year_without_official_scores_is_refused(warehouse):
    rubric = load_variant("beijing/2023", RUBRICS)
    with connect(warehouse) as con, pytest.raises(NoOfficialScores, match="jixiao run --year 2022"):
        score_scenario(con, 2022, RubricInUse(rubric, content_hash(rubric)), "x", "x")


def test_whatif_command_prints_changes_per_department(warehouse):
    done = jixiao("whatif",
            "--year",
            "2024",
            "--rubric",
            "beijing/2023",
            "--set",
            f"{AVERAGE}=5",
            "--scenario",
            "cli",
            "--warehouse",
            warehouse,
            "--rubrics-dir",
            RUBRICS)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "scenario 'cli': 2024 under beijing/2023, 40 department(s)"
    assert lines[1].split() == ["dept", "official", "scenario", "change", "rank", "grade"]
    assert lines[-1].endswith("department(s) unchanged)")


def test_the_whatif_job_runs_in_dagster(warehouse):
    before = official(warehouse)
    result = defs.resolve_job_def("whatif").execute_in_process(
        run_config={
            "ops": {
                "whatif_scenario": {
                    "config": {"year": 2024, "rubric": "beijing/2023", "scenario": "job"}
                }
            }
        },
        resources=resources(RAW, RUBRICS, warehouse),
    )
    assert result.success
    assert official(warehouse) == before
    with duckdb.connect(str(warehouse), read_only=True) as con:
        (n, run_ids) = con.execute(
            "SELECT count(*), list(DISTINCT run_id) FROM scenario_department_scores "
            "WHERE scenario = 'job' AND year = 2024"
        ).fetchone()
    assert n == 40 and run_ids == [result.run_id]


def test_parameter_history_lists_each_year_s_value_and_reference(warehouse):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "SELECT year, value, reference FROM v_rubric_parameters "
            "WHERE parameter = ? ORDER BY year",
            [AVERAGE],
        ).fetchall()
    assert [(y, v) for y, v, _ in rows] == [(2023, "28.3"), (2024, "26.5")]
    assert rows[0][2].startswith("seed 评分表 部门预决算差异率") and "ILLUSTRATIVE" in rows[1][2]
