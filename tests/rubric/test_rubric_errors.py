"""A malformed rubric is refused before anything runs, naming file and key path."""

import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
import yaml

from pipelines.annual import run_year
from pipelines.rubric import RubricError, load_rubric
from tests.cli import jixiao
from tests.conftest import RUBRICS, SEED_RAW

SOURCE = RUBRICS / "beijing" / "2023.yaml"


def broken(tmp_path: Path, edit) -> Path:
    """A copy of rubrics/ whose beijing/2023.yaml went through ``edit(text) -> text``."""
    rubrics = tmp_path / "rubrics"
    shutil.copytree(RUBRICS, rubrics)
    path = rubrics / "beijing" / "2023.yaml"
    path.write_text(edit(path.read_text("utf-8")), "utf-8")
    return rubrics


def problems(path: Path) -> list[tuple[str, str]]:
    with pytest.raises(RubricError) as caught:
        load_rubric(path)
    return caught.value.problems


def test_the_bundled_rubric_is_valid():
    rubric = load_rubric(SOURCE)
    assert rubric.id == "beijing/2023"
    assert sum(s.weight for s in rubric.sections.values()) == 100


def test_a_weight_off_by_half_a_point_names_its_parent(tmp_path):
    rubrics = broken(tmp_path, lambda t: t.replace("weight: 2\n", "weight: 2.5\n", 1))
    assert problems(rubrics / "beijing" / "2023.yaml") == [
        (
            "sections.budget_management.groups.financial_management",
            "the weights of its lines add up to 4.5, not 4",
        ),
    ]


def test_an_unknown_rule_kind_is_refused_with_the_known_ones(tmp_path):
    rubrics = broken(tmp_path, lambda t: t.replace("kind: checklist", "kind: checklst", 1))
    [(path, message)] = problems(rubrics / "beijing" / "2023.yaml")
    assert path == "sections.budget_management.groups.financial_management.lines.fin_system.rule"
    assert message.startswith("unknown rule kind 'checklst'; known: 'ratio', 'checklist'")


def test_an_unknown_key_is_refused(tmp_path):
    rubrics = broken(
        tmp_path, lambda t: t.replace("step_pct: 10", "step_pct: 10\n          stepp: 1")
    )
    [(path, message)] = problems(rubrics / "beijing" / "2023.yaml")
    assert path.endswith("lines.budget_final_diff.rule.step_deduction.stepp")
    assert message == "unknown key"


def test_a_duplicate_key_is_refused_with_its_line(tmp_path):
    rubrics = broken(
        tmp_path, lambda t: t.replace("total_weight: 100", "total_weight: 100\ntotal_weight: 90")
    )
    [(where, message)] = problems(rubrics / "beijing" / "2023.yaml")
    assert message == "duplicate key 'total_weight'"
    assert where.startswith("line ")


def test_a_line_code_used_twice_is_refused(tmp_path):
    rubrics = broken(
        tmp_path,
        lambda t: t.replace("      accounting_info:", "      fin_system_:", 1).replace(
            "      fin_system_:", "      asset_mgmt:", 1
        ),
    )
    messages = [m for _, m in problems(rubrics / "beijing" / "2023.yaml")]
    assert any("line code 'asset_mgmt' is used twice" in m for m in messages)


def test_an_unknown_budget_column_in_a_rule_is_refused(tmp_path):
    rubrics = broken(tmp_path, lambda t: t.replace("numerator: executed", "numerator: spent", 1))
    [(path, message)] = problems(rubrics / "beijing" / "2023.yaml")
    assert path.endswith("lines.budget_execution.rule.ratio.numerator")
    assert "full_year_budget" in message


def test_a_missing_rubric_for_a_year_names_the_file(tmp_path):
    (tmp_path / "raw").mkdir()
    shutil.copytree(SEED_RAW / "2023", tmp_path / "raw" / "2019")
    with pytest.raises(RubricError) as caught:
        run_year(tmp_path / "raw", RUBRICS, tmp_path / "w.duckdb", 2019)
    assert "rubrics/beijing/2019.yaml" in str(caught.value)
    assert "no rubric for jurisdiction 'beijing' in 2019" in str(caught.value)
    assert not (tmp_path / "w.duckdb").exists()


def test_a_malformed_rubric_writes_nothing_and_keeps_the_last_good_year(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    run_year(SEED_RAW, RUBRICS, warehouse, 2023, run_id="good")
    rubrics = broken(tmp_path, lambda t: t.replace("weight: 20\n", "weight: 21\n", 1))
    with pytest.raises(RubricError):
        run_year(SEED_RAW, rubrics, warehouse, 2023, run_id="bad")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("SELECT DISTINCT run_id FROM line_scores").fetchall() == [("good",)]
        assert con.execute("SELECT total_score FROM department_scores").fetchone()[0] == Decimal(
            "94.83"
        )


def test_rubric_check_prints_one_line_per_problem_and_exits_1(tmp_path):
    rubrics = broken(
        tmp_path,
        lambda t: t.replace("weight: 2\n", "weight: 2.5\n", 1).replace(
            "kind: ratio", "kind: ration"
        ),
    )
    bad = rubrics / "beijing" / "2023.yaml"
    done = jixiao("rubric", "check", SOURCE, bad)
    assert done.returncode == 1
    assert f"{SOURCE}: ok (beijing/2023, 8 fixed lines)" in done.stdout
    errors = done.stderr.strip().splitlines()
    assert len(errors) == 2, errors
    assert all(line.startswith(f"{bad}: sections.") for line in errors)


def test_yaml_is_loaded_safely(tmp_path):
    path = tmp_path / "evil.yaml"
    data = yaml.safe_load(SOURCE.read_text("utf-8"))
    text = yaml.safe_dump(data, allow_unicode=True)
    path.write_text("danger: !!python/object/apply:os.system ['echo hacked']\n" + text, "utf-8")
    [(_, message)] = problems(path)
    assert "could not determine a constructor" in message
