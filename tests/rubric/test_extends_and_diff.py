"""Inheritance between rubrics, and the words `rubric diff` uses for what changed (in
Chinese by default, in English with `--lang en`)."""

import re
import shutil
from decimal import Decimal

import pytest

from pipelines.cli import main
from pipelines.messages import use
from pipelines.rubric import RubricError, load_rubric
from pipelines.rubric.diff import diff
from pipelines.rubric.load import content_hash
from tests.conftest import RUBRICS


@pytest.fixture(autouse=True)
def _no_language_chosen(monkeypatch):
    monkeypatch.delenv("JIXIAO_LANG", raising=False)


def cli(capsys, *args) -> tuple[int, str, str]:
    code = main(["rubric", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def child(tmp_path, text: str):
    rubrics = tmp_path / "rubrics"
    shutil.copytree(RUBRICS, rubrics)
    path = rubrics / "beijing" / "2030.yaml"
    path.write_text("extends: beijing/2023\nid: beijing/2030\nyear: 2030\n" + text, "utf-8")
    return path


def test_2024_is_2023_but_for_the_municipal_average():
    r23 = load_rubric(RUBRICS / "beijing" / "2023.yaml")
    r24 = load_rubric(RUBRICS / "beijing" / "2024.yaml")
    rule = r24.sections["budget_management"].lines["budget_final_diff"].rule
    assert rule.baseline.value_pct == Decimal("26.5") and rule.step_pct == Decimal(10)
    assert r24.extends == "beijing/2023"
    assert r24.sections["goal_achievement"] == r23.sections["goal_achievement"]
    assert content_hash(r24) != content_hash(r23)


def test_diff_2023_to_2024_reads_as_one_parameter_change():
    r23 = load_rubric(RUBRICS / "beijing" / "2023.yaml")
    r24 = load_rubric(RUBRICS / "beijing" / "2024.yaml")
    with use("en"):
        lines = diff(r23, r24)
    assert lines[0] == "changed: id beijing/2023 → beijing/2024"
    assert lines[1].startswith(
        "changed: line 部门预决算差异率 (budget_final_diff): rule.baseline.value_pct 28.3 → 26.5"
        "  [ILLUSTRATIVE"
    )
    assert lines[2] == "changed: year 2023 → 2024"
    assert len(lines) == 3


def test_the_diff_in_chinese():
    r23 = load_rubric(RUBRICS / "beijing" / "2023.yaml")
    r24 = load_rubric(RUBRICS / "beijing" / "2024.yaml")
    lines = diff(r23, r24)
    assert lines[0] == "修改：id beijing/2023 → beijing/2024"
    assert lines[1].startswith(
        "修改：三级指标“部门预决算差异率”（budget_final_diff）：rule.baseline.value_pct "
        "28.3 → 26.5（依据：ILLUSTRATIVE"
    )
    assert lines[1].endswith("）")
    assert lines[2] == "修改：year 2023 → 2024"


def test_a_child_can_remove_and_add_lines_and_the_diff_names_them(tmp_path):
    path = child(
        tmp_path,
        """
sections:
  budget_management:
    weight: 20
    lines:
      carryover_rate: null
      procurement_rate:
        name: 政府采购执行率
        weight: 4
        reference: test
        rule: {kind: ratio, numerator: executed, denominator: full_year_budget}
""",
    )
    rubric = load_rubric(path)
    assert "carryover_rate" not in rubric.sections["budget_management"].lines
    with use("en"):
        lines = diff(load_rubric(RUBRICS / "beijing" / "2023.yaml"), rubric)
    assert "added: line 政府采购执行率 (procurement_rate), weight 4" in lines
    assert "removed: line 结转结余率 (carryover_rate), weight 4" in lines
    lines = diff(load_rubric(RUBRICS / "beijing" / "2023.yaml"), rubric)
    assert "新增：三级指标“政府采购执行率”（procurement_rate），分值 4" in lines
    assert "删除：三级指标“结转结余率”（carryover_rate），分值 4" in lines


def test_patching_a_line_the_parent_lacks_is_a_dangling_line(tmp_path):
    path = child(
        tmp_path,
        """
sections:
  budget_management:
    lines:
      carryover_rat: {weight: 5}
""",
    )
    with pytest.raises(RubricError) as caught:
        load_rubric(path)
    assert caught.value.rendered("en") == [
        (
            "sections.budget_management.lines.carryover_rat",
            "is not in beijing/2023: a new entry needs name, weight, reference "
            "and its lines or rule",
        ),
    ]
    assert caught.value.problems == [
        (
            "sections.budget_management.lines.carryover_rat",
            "不在 beijing/2023 中：新增的条目须写明 name、weight、reference 及其 lines 或 rule",
        ),
    ]


def test_removing_what_the_parent_lacks_is_refused(tmp_path):
    path = child(tmp_path, "sections: {budget_management: {lines: {nope: null}}}\n")
    with pytest.raises(RubricError, match="删除了 beijing/2023 中没有的条目"):
        load_rubric(path)
    with use("en"), pytest.raises(RubricError, match="removes an entry that beijing/2023 does not"):
        load_rubric(path)


def test_an_extends_cycle_is_refused(tmp_path):
    rubrics = tmp_path / "rubrics"
    (rubrics / "x").mkdir(parents=True)
    (rubrics / "x" / "2001.yaml").write_text("extends: x/2002\n", "utf-8")
    (rubrics / "x" / "2002.yaml").write_text("extends: x/2001\n", "utf-8")
    with pytest.raises(RubricError, match="循环继承"):
        load_rubric(rubrics / "x" / "2001.yaml")
    with use("en"), pytest.raises(RubricError, match="cannot extend 'x/2002' \\(a cycle\\?\\)"):
        load_rubric(rubrics / "x" / "2001.yaml")


def test_rubric_diff_command_prints_the_changes(capsys):
    code, out, err = cli(capsys, "diff", "beijing/2023", "beijing/2024", "--rubrics-dir", RUBRICS)
    assert code == 0, err
    assert out.splitlines()[0] == "beijing/2023 → beijing/2024：共 3 处变化"
    assert out.splitlines()[1] == "  修改：id beijing/2023 → beijing/2024"
    assert "rule.baseline.value_pct 28.3 → 26.5（依据：" in out
    code, out, err = cli(
        capsys, "diff", "beijing/2023", "beijing/2024", "--rubrics-dir", RUBRICS, "--lang", "en"
    )
    assert out.splitlines()[0] == "beijing/2023 → beijing/2024: 3 change(s)"
    assert "rule.baseline.value_pct 28.3 → 26.5  [ILLUSTRATIVE" in out


def test_rubric_diff_command_in_english_by_environment(capsys, monkeypatch):
    monkeypatch.setenv("JIXIAO_LANG", "en")
    code, out, _ = cli(capsys, "diff", "beijing/2023", "beijing/2024", "--rubrics-dir", RUBRICS)
    assert code == 0 and out.startswith("beijing/2023 → beijing/2024: 3 change(s)\n")


def test_rubric_check_on_a_broken_file_gives_one_line_per_problem(tmp_path, capsys):
    # weights off by 0.5, an unknown rule kind, a dangling line and a duplicate key:
    # the duplicate key stops the YAML reader, so each file carries what it can
    broken = tmp_path / "rubrics" / "beijing"
    shutil.copytree(RUBRICS, tmp_path / "rubrics")
    src = (RUBRICS / "beijing" / "2023.yaml").read_text("utf-8")
    (broken / "2031.yaml").write_text(
        src.replace("id: beijing/2023", "id: beijing/2031")
        .replace("year: 2023", "year: 2031")
        .replace("weight: 2\n", "weight: 2.5\n", 1)
        .replace("kind: ratio", "kind: ration"),
        "utf-8",
    )
    (broken / "2032.yaml").write_text(
        "extends: beijing/2023\nid: beijing/2032\nyear: 2032\n"
        "sections: {budget_management: {lines: {nope: {weight: 1}}}}\n",
        "utf-8",
    )
    (broken / "2033.yaml").write_text(src.replace("year: 2023", "year: 2023\nyear: 2033"), "utf-8")
    files = [broken / f"{y}.yaml" for y in (2031, 2032, 2033)]
    code, _, err = cli(capsys, "check", *files, "--lang", "en")
    assert code == 1
    errors = err.strip().splitlines()
    assert len(errors) == 4, errors
    assert (
        "2031.yaml: sections.budget_execution.lines.budget_execution.rule: unknown rule kind"
        in errors[0]
    )
    assert errors[1].endswith("financial_management: the weights of its lines add up to 4.5, not 4")
    assert "2032.yaml: sections.budget_management.lines.nope: is not in beijing/2023" in errors[2]
    assert "2033.yaml: line " in errors[3] and "duplicate key 'year'" in errors[3]

    code, _, err = cli(capsys, "check", *files)
    assert code == 1
    errors = err.strip().splitlines()
    assert len(errors) == 4, errors
    assert (
        "2031.yaml: sections.budget_execution.lines.budget_execution.rule: 未知的评分规则类型"
        in (errors[0])
    )
    assert errors[1].endswith("financial_management: 其下三级指标的分值合计 4.5，不等于 4")
    assert "2032.yaml: sections.budget_management.lines.nope: 不在 beijing/2023 中" in errors[2]
    assert re.search(r"2033\.yaml: 第 \d+ 行: 键 'year' 重复出现$", errors[3])
