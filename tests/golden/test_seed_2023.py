"""The seed's published table (tests/golden/seed-2023-expected.yaml), reproduced
number by number from raw/2023 through the real pipeline: once through the Python
steps and once through the `jixiao run` command."""

from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
import yaml

from tests.cli import LEAN, jixiao
from tests.conftest import GOLDEN, RAW, ROOT, RUBRICS

GOLDEN_DATA = yaml.safe_load(GOLDEN.read_text("utf-8"))
SHARED_GOLDEN = ROOT.parent / "shared" / "golden" / "seed-2023-expected.yaml"
DEPT = "BJ-FAO"
SEED_TOTAL = "SELECT total_score, grade FROM v_department_scores WHERE dept_code = ?"
# golden raw_amounts key → staged budget column (or the rubric parameter)
BUDGET_COLUMNS = {
    "prior_year_carryover_rate": "prior_carryover_rate",
    "prior_year_budget_final_diff_rate": "prior_diff_rate",
}


def dec(value) -> Decimal:
    return Decimal(str(value))


@pytest.fixture(scope="module")
def warehouse(bundled_2023) -> duckdb.DuckDBPyConnection:
    """raw/2023 scored by the Python steps (pipelines.annual.run_year), run run-2023."""
    con = duckdb.connect(str(bundled_2023), read_only=True)
    yield con
    con.close()


def one(con, sql, *params):
    rows = con.execute(sql, list(params)).fetchall()
    assert len(rows) == 1, (sql, rows)
    return rows[0]


def test_the_golden_copy_matches_shared():
    if not SHARED_GOLDEN.exists():
        pytest.skip("../shared is not beside the repository")
    assert GOLDEN.read_bytes() == SHARED_GOLDEN.read_bytes()


@pytest.mark.parametrize("key", list(GOLDEN_DATA["raw_amounts"]))
def test_raw_amount_is_staged_exactly(warehouse, key):
    want = dec(GOLDEN_DATA["raw_amounts"][key])
    if key == "municipal_avg_diff_rate":
        from pipelines.rubric import load_rubric

        rule = (
            load_rubric(RUBRICS / "beijing" / "2023.yaml")
            .sections["budget_management"]
            .lines["budget_final_diff"]
            .rule
        )
        assert rule.baseline.value_pct == want
        return
    column = BUDGET_COLUMNS.get(key, key)
    (have,) = one(warehouse, f'SELECT "{column}" FROM staged_budget WHERE dept_code = ?', DEPT)
    assert have == want


@pytest.mark.parametrize("key", list(GOLDEN_DATA["derived"]))
def test_derived_rate_is_computed_from_raw_amounts(warehouse, key):
    (have,) = one(warehouse, f"SELECT {key} FROM v_budget_rates WHERE dept_code = ?", DEPT)
    assert have == dec(GOLDEN_DATA["derived"][key])


@pytest.mark.parametrize("section", list(GOLDEN_DATA["scores"]))
def test_section_weight_and_score(warehouse, section):
    want = GOLDEN_DATA["scores"][section]
    weight, score = one(
        warehouse,
        "SELECT weight, score FROM v_section_scores WHERE dept_code = ? AND section = ?",
        DEPT,
        section,
    )
    assert (weight, score) == (dec(want["weight"]), dec(want["score"]))


def _golden_lines():
    for section, body in GOLDEN_DATA["scores"].items():
        for line in body.get("lines", []):
            yield pytest.param(section, None, line, id=f"{section}: {line['name']}")
        for group, gbody in body.get("groups", {}).items():
            for line in gbody["lines"]:
                yield pytest.param(section, group, line, id=f"{group}: {line['name']}")


@pytest.mark.parametrize(("section", "group", "line"), list(_golden_lines()))
def test_line_score(warehouse, section, group, line):
    rows = warehouse.execute(
        """SELECT l.weight, l.final_score, g.name FROM v_line_scores l
           LEFT JOIN v_group_scores g USING (year, dept_code, "group")
           WHERE l.dept_code = ? AND l.section = ? AND l.name = ?""",
        [DEPT, section, line["name"]],
    ).fetchall()
    assert len(rows) == 1, rows
    weight, score, group_name = rows[0]
    assert score == dec(line["score"])
    if "weight" in line:
        assert weight == dec(line["weight"])
    if "group" in line:
        assert group_name == line["group"]


@pytest.mark.parametrize("group", ["output", "effect"])
def test_group_weight_and_score(warehouse, group):
    want = GOLDEN_DATA["scores"]["goal_achievement"]["groups"][group]
    weight, score = one(
        warehouse,
        'SELECT weight, score FROM v_group_scores WHERE dept_code = ? AND "group" = ?',
        DEPT,
        group,
    )
    assert (weight, score) == (dec(want["weight"]), dec(want["score"]))


def test_every_table_line_is_scored_once(warehouse):
    expected = sum(
        len(b.get("lines", [])) + sum(len(g["lines"]) for g in b.get("groups", {}).values())
        for b in GOLDEN_DATA["scores"].values()
    )
    (count,) = one(warehouse, "SELECT count(*) FROM v_line_scores WHERE dept_code = ?", DEPT)
    assert count == expected == 15


def test_total_grade_and_rank(warehouse):
    total, grade, rank, out_of, rubric_id, rubric_hash, run_id = one(
        warehouse,
        """SELECT total_score, grade, rank, rank_out_of, rubric_id, rubric_hash, run_id
           FROM v_department_scores WHERE dept_code = ?""",
        DEPT,
    )
    assert (total, grade) == (dec(GOLDEN_DATA["total"]), GOLDEN_DATA["grade"])
    assert (rubric_id, run_id) == ("beijing/2023", "run-2023")
    assert 1 <= rank <= out_of == 40  # 39 synthetic departments share the year
    assert len(rubric_hash) == 64


DERIVATIONS = yaml.safe_load(
    (Path(__file__).with_name("seed-2023-derivations.yaml")).read_text("utf-8")
)


def test_every_line_is_derived_in_chinese_and_english_as_written_by_hand(warehouse):
    rows = warehouse.execute(
        "SELECT line_code, explanation, explanation_en FROM v_line_scores WHERE dept_code = ?",
        [DEPT],
    ).fetchall()
    assert {r[0] for r in rows} == set(DERIVATIONS["lines"])
    for line_code, zh, en in rows:
        assert zh == DERIVATIONS["lines"][line_code]["zh"], line_code
        assert en == DERIVATIONS["lines"][line_code]["en"], line_code
        assert zh.endswith(f"（rubrics/beijing/2023 · {line_code}）")  # the rubric line cited


def test_jixiao_run_reproduces_the_table(tmp_path):
    warehouse = tmp_path / "cli.duckdb"
    done = jixiao(
        "run",
        *LEAN,
        "--lang",
        "en",
        "--raw-dir",
        RAW,
        "--rubrics-dir",
        RUBRICS,
        "--warehouse",
        warehouse,
        "--year",
        "2023",
    )
    assert done.returncode == 0, done.stderr
    assert "2023: ok — 40 of 40 department(s) scored, 0 refused row(s)" in done.stdout
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert one(con, SEED_TOTAL, DEPT) == (
            dec("94.83"),
            "优",
        )
        sections = con.execute(
            "SELECT section, score FROM v_section_scores WHERE dept_code = ? "
            "ORDER BY section_order",
            [DEPT],
        ).fetchall()
    assert sections == [(s, dec(body["score"])) for s, body in GOLDEN_DATA["scores"].items()]


def test_published_rates_in_the_table_are_not_copied(warehouse):
    # The seed's garbled cell "18.6213.01% %" is kept as the department reported it;
    # the scored rate comes from the amounts.
    (reported,) = one(
        warehouse,
        "SELECT reported_value FROM staged_self_reported "
        "WHERE dept_code = ? AND line_code = 'budget_final_diff'",
        DEPT,
    )
    (rate,) = one(
        warehouse,
        "SELECT rate_pct FROM v_line_scores "
        "WHERE dept_code = ? AND line_code = 'budget_final_diff'",
        DEPT,
    )
    assert reported == "18.6213.01% %" and rate == dec("18.62")
