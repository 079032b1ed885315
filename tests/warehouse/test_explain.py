"""`jixiao explain` gives the derivation a reviewer checks by hand, in Chinese by default
and in English with `--lang en` (the sentences from the views' column of that language)."""

import duckdb
import pytest

from pipelines.cli import main


@pytest.fixture(scope="module")
def warehouse(seed_2023):
    """The seed department's 2023 scored, run run-2023."""
    return seed_2023


@pytest.fixture(autouse=True)
def _no_language_chosen(monkeypatch):
    monkeypatch.delenv("JIXIAO_LANG", raising=False)


def explain(capsys, warehouse, *args) -> tuple[int, str, str]:
    code = main(["explain", "--year", "2023", "--warehouse", str(warehouse), *args])
    out, err = capsys.readouterr()
    return code, out, err


def view(warehouse, sql: str) -> list:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_the_total_is_explained_as_its_sections_and_grade_band(capsys, warehouse):
    code, out, err = explain(capsys, warehouse, "--dept", "BJ-FAO", "--lang", "en")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith(
        "BJ-FAO 北京市人民政府外事办公室（市外办） — 2023, rubric beijing/2023"
    )
    assert lines[1] == (
        "total 94.83 = 18.83 (当年预算执行情况) + 56.00 (整体绩效目标实现情况) "
        "+ 20.00 (预算管理情况)"
    )
    assert lines[2].startswith("grade 优: 优 ≥ 90, 良 ≥ 80, 中 ≥ 60, 差 ≥ 0")
    assert lines[3] == "rank 1 of 1 in 2023"
    assert "18214.74 / 19347.12 = 94.15% × 20 = 18.83" in out
    assert "declared lines of kind graded are scored by:" in out


def test_the_total_in_chinese_by_default(capsys, warehouse):
    code, out, err = explain(capsys, warehouse, "--dept", "BJ-FAO")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith(
        "BJ-FAO 北京市人民政府外事办公室（市外办）——2023 年度，评分表 beijing/2023（哈希 "
    )
    assert lines[0].endswith("），运行 run-2023")
    assert lines[1] == (
        "总分 94.83 = 18.83（当年预算执行情况） + 56.00（整体绩效目标实现情况） "
        "+ 20.00（预算管理情况）"
    )
    assert lines[2].startswith("评定级别 优：优 ≥ 90，良 ≥ 80，中 ≥ 60，差 ≥ 0　［")
    assert lines[3] == "2023 年度排名第 1 名，共 1 个部门"
    assert "资金总体（budget_execution）——得分 18.83，分值 20.00" in lines
    assert "部门申报的定性类三级指标（graded）按以下参数评分：" in lines
    assert "发现问题：" in lines
    assert " — " not in out and "rubric " not in out and "findings:" not in out


@pytest.mark.parametrize("lang,column", [("zh", "explanation"), ("en", "explanation_en")])
def test_each_line_reads_the_explanation_of_its_language(capsys, warehouse, lang, column):
    [(text,)] = view(
        warehouse,
        f"SELECT {column} FROM v_line_scores WHERE dept_code = 'BJ-FAO' "
        "AND line_code = 'budget_execution'",
    )
    findings = view(warehouse, f"SELECT {column.replace('explanation', 'message')} FROM v_findings")
    _, out, _ = explain(capsys, warehouse, "--dept", "BJ-FAO", "--lang", lang)
    assert f"  {text}\n" in out
    assert all(message in out for (message,) in findings)


def test_one_line_with_its_parameters_and_reference(capsys, warehouse, monkeypatch):
    monkeypatch.setenv("JIXIAO_LANG", "en")
    _, out, _ = explain(capsys, warehouse, "--dept", "BJ-FAO", "--line", "budget_final_diff")
    out = out.splitlines()
    assert out[2] == "部门预决算差异率 (budget_final_diff) — 4.00 of 4.00"
    assert out[3].startswith("  |18214.74 − 15355.12| / 15355.12 = 18.62%; 市级平均差异率 28.3%")
    assert "rule.baseline.value_pct = 28.3" in out[4] and "rule.step_pct = 10" in out[4]
    assert out[5].startswith("  reference: seed 评分表 部门预决算差异率（4）")


def test_one_line_in_chinese(capsys, warehouse):
    _, out, _ = explain(capsys, warehouse, "--dept", "BJ-FAO", "--line", "budget_final_diff")
    out = out.splitlines()
    assert out[2] == "部门预决算差异率（budget_final_diff）——得分 4.00，分值 4.00"
    assert out[4].startswith("  参数：") and "；rule.step_pct = 10" in out[4]
    assert out[5].startswith("  依据：seed 评分表 部门预决算差异率（4）")


def test_an_unknown_department_says_so(capsys, warehouse):
    code, _, err = explain(capsys, warehouse, "--dept", "NOPE")
    assert code == 1
    assert err.strip() == "jixiao：NOPE 在 2023 年度没有得分"
    code, _, err = explain(capsys, warehouse, "--dept", "NOPE", "--lang", "en")
    assert err.strip() == "jixiao: NOPE has no scores for 2023"


def test_an_unknown_line_says_so(capsys, warehouse):
    code, _, err = explain(capsys, warehouse, "--dept", "BJ-FAO", "--line", "nope")
    assert code == 1
    assert err.strip() == "jixiao：BJ-FAO 在 2023 年度没有三级指标 nope"
    code, _, err = explain(capsys, warehouse, "--dept", "BJ-FAO", "--line", "nope", "--lang", "en")
    assert err.strip() == "jixiao: BJ-FAO has no line 'nope' in 2023"


def test_no_warehouse_says_to_run_first(capsys, tmp_path):
    code, _, err = explain(capsys, tmp_path / "none.duckdb", "--dept", "BJ-FAO")
    assert code == 1
    assert (
        err.strip() == f"jixiao：{tmp_path / 'none.duckdb'} 处没有数据仓库：请先运行 `jixiao run`"
    )
