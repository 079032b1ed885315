"""What-if scenarios never touch the official tables, and list every change (in Chinese
by default, in English with `--lang en`)."""

import shutil
from decimal import Decimal

import duckdb
import pandas as pd
import pytest

from pipelines import whatif
from pipelines.annual import run_year
from pipelines.cli import main
from pipelines.defs import defs
from pipelines.defs.resources import resources
from pipelines.messages import use
from pipelines.rubric.library import RubricInUse
from pipelines.rubric.load import content_hash, load_variant
from pipelines.warehouse.scenario import NoOfficialScores
from pipelines.warehouse.write import connect
from tests.conftest import RAW, RUBRICS

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
def warehouse(bundled_2023, tmp_path_factory):
    """raw/2023 (a copy of the shared one), then raw/2024, scored: the official rows."""
    path = tmp_path_factory.mktemp("whatif") / "w.duckdb"
    shutil.copy(bundled_2023, path)
    run_year(RAW, RUBRICS, path, 2024, run_id="official-2024")
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
        changes = whatif.run(
            con,
            2024,
            RubricInUse(rubric, content_hash(rubric)),
            "scenario-1",
            scenario="2024 under 2023 at 5%",
        ).changes
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
        whatif.run(con, 2024, used, "a", scenario="again")
        whatif.run(con, 2024, used, "b", scenario="again")
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
    with connect(warehouse) as con, pytest.raises(NoOfficialScores) as caught:
        whatif.run(con, 2022, RubricInUse(rubric, content_hash(rubric)), "x", scenario="x")
    assert str(caught.value) == "2022 年度还没有正式得分：请先运行 `jixiao run --year 2022`"
    with use("en"):
        assert str(caught.value) == "no official scores for 2022: run `jixiao run --year 2022`"


def whatif_cli(capsys, warehouse, *args) -> tuple[int, str, str]:
    code = main(["whatif", "--warehouse", str(warehouse), "--rubrics-dir", str(RUBRICS), *args])
    out, err = capsys.readouterr()
    return code, out, err


SCENARIO = ["--year", "2024", "--rubric", "beijing/2023", "--set", f"{AVERAGE}=5"]


def test_whatif_command_prints_changes_per_department(warehouse, capsys):
    code, out, err = whatif_cli(capsys, warehouse, *SCENARIO, "--scenario", "cli", "--lang", "en")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "scenario 'cli': 2024 under beijing/2023, 40 department(s)"
    assert lines[1].split() == ["dept", "official", "scenario", "change", "rank", "grade"]
    assert lines[-1].endswith("department(s) unchanged)")


def test_whatif_command_speaks_chinese_by_default(warehouse, capsys, monkeypatch):
    monkeypatch.delenv("JIXIAO_LANG", raising=False)
    code, out, err = whatif_cli(capsys, warehouse, *SCENARIO, "--scenario", "中文")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "情景“中文”：2024 年度按评分表 beijing/2023 评分，共 40 个部门"
    assert lines[1].split() == ["部门", "正式得分", "情景得分", "变化", "排名", "评定级别"]
    assert lines[-1].startswith("（另有 ") and lines[-1].endswith(" 个部门无变化）")
    code, _, err = whatif_cli(capsys, warehouse, "--year", "2022", "--rubric", "beijing/2023")
    assert code == 1
    assert err.strip() == "jixiao：2022 年度还没有正式得分：请先运行 `jixiao run --year 2022`"


def test_a_bad_change_names_its_key_in_the_language_asked(warehouse, capsys, monkeypatch):
    monkeypatch.delenv("JIXIAO_LANG", raising=False)
    args = ["--year", "2024", "--rubric", "beijing/2023", "--set", "nope.x=1", "--set", "x"]
    code, _, err = whatif_cli(capsys, warehouse, *args)
    assert code == 1
    path = RUBRICS / "beijing" / "2023.yaml"
    assert err.splitlines() == [
        f"jixiao：{path}: nope.x: 2023 中没有这个键：'nope'",
        f"{path}: x: 修改须写成 键路径=值（key.path=value）",
    ]
    monkeypatch.setenv("JIXIAO_LANG", "en")
    _, _, err = whatif_cli(capsys, warehouse, *args)
    assert err.splitlines() == [
        f"jixiao: {path}: nope.x: no such key in 2023: 'nope'",
        f"{path}: x: a change is written key.path=value",
    ]


CHANGES = pd.DataFrame(
    {
        "dept_code": ["BJ-A", "BJ-B", "BJ-C"],
        "dept_name": ["甲", "乙", "丙"],
        "official_total": [90.5, 80.0, 70.0],
        "scenario_total": [88.1, 80.0, 70.0],
        "total_change": [-2.4, 0.0, 0.0],
        "official_grade": ["优", "良", "中"],
        "scenario_grade": ["良", "良", "中"],
        "official_rank": [1, 2, 3],
        "scenario_rank": [2, 1, 3],
        "rank_change": [-1, 1, 0],
    }
)


def test_the_table_of_changes_in_each_language():
    with use("en"):
        assert whatif.table(CHANGES).splitlines() == [
            "dept        official  scenario  change       rank  grade",
            "BJ-A           90.50     88.10   -2.40        1→2  优→良",
            "BJ-B           80.00     80.00   +0.00        2→1  良",
            "(1 department(s) unchanged)",
        ]
        assert whatif.table(CHANGES.iloc[2:]) == "no department's total or rank changed"
    assert whatif.table(CHANGES).splitlines() == [
        "部门        正式得分  情景得分    变化       排名  评定级别",
        "BJ-A           90.50     88.10   -2.40        1→2  优→良",
        "BJ-B           80.00     80.00   +0.00        2→1  良",
        "（另有 1 个部门无变化）",
    ]
    assert whatif.table(CHANGES.iloc[2:]) == "没有部门的总分或排名发生变化"


def test_the_scenario_name_defaults_to_the_rubric_and_changes():
    assert whatif.scenario_name("beijing/2023", []) == "beijing/2023"
    assert whatif.scenario_name("beijing/2023", ["a.b=1", "c=2"]) == "beijing/2023 a.b=1 c=2"


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
