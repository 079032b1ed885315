"""A malformed rubric is refused before anything runs, naming file and key path, in the
language asked for (Chinese by default)."""

import pickle
import re
import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
import yaml

from pipelines.annual import run_year
from pipelines.cli import main
from pipelines.messages import use
from pipelines.rubric import RubricError, load_rubric
from tests.conftest import RUBRICS, SEED_RAW

SOURCE = RUBRICS / "beijing" / "2023.yaml"


def broken(tmp_path: Path, edit) -> Path:
    """A copy of rubrics/ whose beijing/2023.yaml went through ``edit(text) -> text``."""
    rubrics = tmp_path / "rubrics"
    shutil.copytree(RUBRICS, rubrics)
    path = rubrics / "beijing" / "2023.yaml"
    path.write_text(edit(path.read_text("utf-8")), "utf-8")
    return rubrics


def problems(path: Path, lang: str = "en") -> list[tuple[str, str]]:
    with pytest.raises(RubricError) as caught:
        load_rubric(path)
    return caught.value.rendered(lang)


@pytest.fixture(autouse=True)
def _no_language_chosen(monkeypatch):
    monkeypatch.delenv("JIXIAO_LANG", raising=False)


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
    assert problems(rubrics / "beijing" / "2023.yaml", "zh") == [
        (
            "sections.budget_management.groups.financial_management",
            "其下三级指标的分值合计 4.5，不等于 4",
        ),
    ]


def test_an_unknown_rule_kind_is_refused_with_the_known_ones(tmp_path):
    rubrics = broken(tmp_path, lambda t: t.replace("kind: checklist", "kind: checklst", 1))
    [(path, message)] = problems(rubrics / "beijing" / "2023.yaml")
    assert path == "sections.budget_management.groups.financial_management.lines.fin_system.rule"
    assert message.startswith("unknown rule kind 'checklst'; known: 'ratio', 'checklist'")
    [(_, message)] = problems(rubrics / "beijing" / "2023.yaml", "zh")
    assert message.startswith("未知的评分规则类型 'checklst'；可用的类型：'ratio', 'checklist'")


def test_an_unknown_key_is_refused(tmp_path):
    rubrics = broken(
        tmp_path, lambda t: t.replace("step_pct: 10", "step_pct: 10\n          stepp: 1")
    )
    [(path, message)] = problems(rubrics / "beijing" / "2023.yaml")
    assert path.endswith("lines.budget_final_diff.rule.step_deduction.stepp")
    assert message == "unknown key"
    assert problems(rubrics / "beijing" / "2023.yaml", "zh")[0][1] == "未知的键"


def test_a_duplicate_key_is_refused_with_its_line(tmp_path):
    rubrics = broken(
        tmp_path, lambda t: t.replace("total_weight: 100", "total_weight: 100\ntotal_weight: 90")
    )
    [(where, message)] = problems(rubrics / "beijing" / "2023.yaml")
    assert message == "duplicate key 'total_weight'"
    assert where.startswith("line ")
    [(where, message)] = problems(rubrics / "beijing" / "2023.yaml", "zh")
    assert message == "键 'total_weight' 重复出现"
    assert re.fullmatch(r"第 \d+ 行", where)


def test_a_line_code_used_twice_is_refused(tmp_path):
    rubrics = broken(
        tmp_path,
        lambda t: t.replace("      accounting_info:", "      fin_system_:", 1).replace(
            "      fin_system_:", "      asset_mgmt:", 1
        ),
    )
    messages = [m for _, m in problems(rubrics / "beijing" / "2023.yaml")]
    assert any("line code 'asset_mgmt' is used twice" in m for m in messages)
    messages = [m for _, m in problems(rubrics / "beijing" / "2023.yaml", "zh")]
    assert any("三级指标编码 'asset_mgmt' 重复使用" in m for m in messages)


def test_an_unknown_budget_column_in_a_rule_is_refused(tmp_path):
    rubrics = broken(tmp_path, lambda t: t.replace("numerator: executed", "numerator: spent", 1))
    [(path, message)] = problems(rubrics / "beijing" / "2023.yaml")
    assert path.endswith("lines.budget_execution.rule.ratio.numerator")
    assert message.startswith("Input should be 'full_year_budget', 'basic_budget'")
    [(_, message)] = problems(rubrics / "beijing" / "2023.yaml", "zh")
    assert message.startswith("取值须为以下之一：'full_year_budget'、'basic_budget'、")
    assert message.endswith("、'carryover_nonfiscal'")


def test_a_missing_rubric_for_a_year_names_the_file(tmp_path):
    (tmp_path / "raw").mkdir()
    shutil.copytree(SEED_RAW / "2023", tmp_path / "raw" / "2019")
    with pytest.raises(RubricError) as caught:
        run_year(tmp_path / "raw", RUBRICS, tmp_path / "w.duckdb", 2019)
    assert "rubrics/beijing/2019.yaml" in str(caught.value)
    assert "地区“北京市”没有 2019 年度的评分细则" in str(caught.value)
    assert "no rubric for jurisdiction 'beijing' in 2019" in "\n".join(caught.value.lines("en"))
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


def rubric_check(capsys, *args) -> tuple[int, str, str]:
    code = main(["rubric", "check", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def test_rubric_check_prints_one_line_per_problem_and_exits_1(tmp_path, capsys):
    rubrics = broken(
        tmp_path,
        lambda t: t.replace("weight: 2\n", "weight: 2.5\n", 1).replace(
            "kind: ratio", "kind: ration"
        ),
    )
    bad = rubrics / "beijing" / "2023.yaml"
    code, out, err = rubric_check(capsys, SOURCE, bad, "--lang", "en")
    assert code == 1
    assert f"{SOURCE}: ok (beijing/2023, 8 fixed lines)" in out
    errors = err.strip().splitlines()
    assert len(errors) == 2, errors
    assert all(line.startswith(f"{bad}: sections.") for line in errors)
    assert errors[0].endswith(
        ".rule: unknown rule kind 'ration'; known: 'ratio', 'checklist', "
        "'step_deduction', 'banded_lookup'"
    )


def test_rubric_check_speaks_chinese_by_default(tmp_path, capsys):
    rubrics = broken(
        tmp_path,
        lambda t: t.replace("weight: 2\n", "weight: 2.5\n", 1).replace(
            "kind: ratio", "kind: ration"
        ),
    )
    bad = rubrics / "beijing" / "2023.yaml"
    code, out, err = rubric_check(capsys, SOURCE, bad)
    assert code == 1
    assert out.strip() == f"{SOURCE}：通过（beijing/2023，固定三级指标 8 个）"
    errors = err.strip().splitlines()
    assert errors == [
        f"{bad}: sections.budget_execution.lines.budget_execution.rule: 未知的评分规则类型 "
        "'ration'；可用的类型：'ratio', 'checklist', 'step_deduction', 'banded_lookup'",
        f"{bad}: sections.budget_management.groups.financial_management: "
        "其下三级指标的分值合计 4.5，不等于 4",
    ]


def test_a_missing_file_and_a_non_mapping_in_each_language(tmp_path, capsys):
    flat = tmp_path / "flat.yaml"
    flat.write_text("- a list\n", "utf-8")
    missing = tmp_path / "missing.yaml"
    code, _, err = rubric_check(capsys, missing, flat)
    assert code == 1
    assert err.splitlines() == [
        f"{missing}: 没有这个评分表文件",
        f"{flat}: 评分表文件的顶层必须是映射（键: 值）",
    ]
    _, _, err = rubric_check(capsys, missing, flat, "--lang", "en")
    assert err.splitlines() == [
        f"{missing}: no such rubric file",
        f"{flat}: a rubric file must be a mapping at the top level",
    ]


@pytest.mark.parametrize(
    "edit,en,zh",
    [
        (
            lambda t: t.replace("title:", "titel:", 1),
            [("title", "Field required"), ("titel", "unknown key")],
            [("title", "缺少必填项"), ("titel", "未知的键")],
        ),
        (
            lambda t: t.replace("total_weight: 100", "total_weight: -100"),
            [("total_weight", "Input should be greater than or equal to 0")],
            [("total_weight", "须大于或等于 0")],
        ),
        (
            lambda t: t.replace("id: beijing/2023", "id: beijing/2022"),
            [("", "id must be 'beijing/2023'")],
            [("", "id 须为 'beijing/2023'")],
        ),
    ],
    ids=["missing and unknown keys", "a negative weight", "an id that is not its year"],
)
def test_pydantic_problems_are_translated_by_their_type(tmp_path, edit, en, zh):
    path = broken(tmp_path, edit) / "beijing" / "2023.yaml"
    assert sorted(problems(path)) == sorted(en)
    assert sorted(problems(path, "zh")) == sorted(zh)


def test_a_rubric_error_travels_whole_and_renders_where_it_is_read(tmp_path):
    rubrics = broken(tmp_path, lambda t: t.replace("weight: 2\n", "weight: 2.5\n", 1))
    with pytest.raises(RubricError) as caught:
        load_rubric(rubrics / "beijing" / "2023.yaml")
    again = pickle.loads(pickle.dumps(caught.value))
    assert again.rendered("en") == caught.value.rendered("en")
    assert str(again).endswith("其下三级指标的分值合计 4.5，不等于 4")
    with use("en"):
        assert str(again).endswith("the weights of its lines add up to 4.5, not 4")
        assert again.problems == caught.value.rendered("en")


def test_yaml_is_loaded_safely(tmp_path):
    path = tmp_path / "evil.yaml"
    data = yaml.safe_load(SOURCE.read_text("utf-8"))
    text = yaml.safe_dump(data, allow_unicode=True)
    path.write_text("danger: !!python/object/apply:os.system ['echo hacked']\n" + text, "utf-8")
    [(_, message)] = problems(path)
    assert "could not determine a constructor" in message
    [(_, message)] = problems(path, "zh")
    assert message.startswith(
        "不允许的 YAML 标签 'tag:yaml.org,2002:python/object/apply:os.system'"
    )
