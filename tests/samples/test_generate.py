"""The synthetic sample generator: reproducible, contract-shaped, scored clean by the
real pipeline, with its edge cases (a tie, a 差 department, a gap year) in place."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from pipelines.annual import run_year
from pipelines.ingest.read import read_table
from pipelines.ingest.spec import extract_specs, header_key
from pipelines.rubric.library import RubricLibrary
from pipelines.samples import generate
from pipelines.samples.__main__ import main
from tests.conftest import RAW, RUBRICS
from tests.samples.support import files, rows

YEARS = [2022, 2023, 2024]
DEPARTMENTS = 12
RUBRIC = RubricLibrary(RUBRICS).get("beijing", 2023).rubric


def rubric_for(year: int):
    return RUBRIC


def year_rubrics(tmp: Path, years) -> Path:
    """A rubrics dir where beijing/<year>.yaml is the 2023 rubric relabelled for that year."""
    text = (RUBRICS / "beijing" / "2023.yaml").read_text("utf-8")
    for year in years:
        relabelled = re.sub(r"(?m)^id: .*$", f"id: beijing/{year}", text)
        relabelled = re.sub(r"(?m)^year: .*$", f"year: {year}", relabelled)
        path = tmp / "beijing" / f"{year}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(relabelled, encoding="utf-8")
    return tmp


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    """Three generated years, scored in order by the real pipeline into one warehouse."""
    tmp = tmp_path_factory.mktemp("samples")
    out = tmp / "raw"
    summary = generate(out, YEARS, DEPARTMENTS, rubric_for, seed=2023)
    rubrics = year_rubrics(tmp / "rubrics", YEARS)
    warehouse = tmp / "jixiao.duckdb"
    for year in YEARS:
        run_year(out, rubrics, warehouse, year, run_id=f"samples-{year}")
    con = duckdb.connect(str(warehouse), read_only=True)
    yield out, summary, con
    con.close()


def test_same_arguments_give_byte_identical_files(tmp_path):
    a = generate(tmp_path / "a", [2023, 2024], DEPARTMENTS, rubric_for, seed=7)
    b = generate(tmp_path / "b", [2023, 2024], DEPARTMENTS, rubric_for, seed=7)
    assert a == b
    first, second = files(tmp_path / "a"), files(tmp_path / "b")
    assert first == second
    assert {"2023/budget.csv", "2024/indicators.csv", "README.md"} <= set(first)
    generate(tmp_path / "c", [2023, 2024], DEPARTMENTS, rubric_for, seed=8)
    assert files(tmp_path / "c")["2024/budget.csv"] != first["2024/budget.csv"]


def test_every_year_stages_without_refusals_and_every_department_is_scored(scored):
    out, _, con = scored
    for year in YEARS:
        depts = {r["dept_code"] for r in rows(out / str(year) / "departments.csv")}
        run = con.execute(
            "SELECT departments, scored, refused_rows FROM runs WHERE year = ?", [year]
        ).fetchone()
        assert run == (len(depts), len(depts), 0), year
        got = con.execute("SELECT dept_code FROM department_scores WHERE year = ?", [year])
        assert {r[0] for r in got.fetchall()} == depts
        errors = con.execute(
            "SELECT dept_code, code, message_en FROM v_findings "
            "WHERE year = ? AND severity = 'error'",
            [year],
        ).fetchall()
        assert errors == []


def test_the_twins_tie_and_share_a_rank_and_the_next_rank_skips(scored):
    _, summary, con = scored
    first, second = summary["tie"]
    for year in YEARS:
        ranked = con.execute(
            "SELECT dept_code, total_score, rank FROM v_department_scores WHERE year = ? "
            "ORDER BY rank, dept_code",
            [year],
        ).fetchall()
        by_code = {code: (total, rank) for code, total, rank in ranked}
        assert by_code[first] == by_code[second]
        total, rank = by_code[first]
        tied = [code for code, t, _ in ranked if t == total]
        assert {first, second} <= set(tied)
        below = [r for _, t, r in ranked if t < total]
        if below:
            assert min(below) == rank + len(tied)


def test_the_poor_department_is_graded_poor(scored):
    _, summary, con = scored
    worst = RUBRIC.grades.bands[-1]
    for year in YEARS:
        total, grade = con.execute(
            "SELECT total_score, grade FROM department_scores WHERE year = ? AND dept_code = ?",
            [year, summary["poor"]],
        ).fetchone()
        assert grade == worst.grade == "差"
        assert total < RUBRIC.grades.bands[-2].min_total


def test_the_gap_department_is_absent_in_exactly_its_year(scored):
    out, summary, con = scored
    gap = summary["missing"]
    assert gap == {"dept_code": "SYN-004", "year": 2023}
    for year in YEARS:
        codes = {r["dept_code"] for r in rows(out / str(year) / "departments.csv")}
        scored_codes = {
            r[0]
            for r in con.execute(
                "SELECT dept_code FROM department_scores WHERE year = ?", [year]
            ).fetchall()
        }
        assert (gap["dept_code"] in codes) is (year != gap["year"])
        assert (gap["dept_code"] in scored_codes) is (year != gap["year"])
        for name in ("budget", "indicators", "checklist"):
            present = {r["dept_code"] for r in rows(out / str(year) / f"{name}.csv")}
            assert (gap["dept_code"] in present) is (year != gap["year"])


def test_declared_weights_add_up_to_the_group_weight_with_two_places(scored):
    out, _, _ = scored
    groups = {code: group.weight for code, (_, group) in RUBRIC.declared_groups().items()}
    for year in YEARS:
        sums: dict[tuple[str, str], list[Decimal]] = {}
        for r in rows(out / str(year) / "indicators.csv"):
            if r["dept_code"].startswith("SYN-"):
                assert Decimal(r["weight"]).as_tuple().exponent == -2, r
            sums.setdefault((r["dept_code"], r["group"]), []).append(Decimal(r["weight"]))
        depts = {r["dept_code"] for r in rows(out / str(year) / "departments.csv")}
        assert {key for key in sums} == {(d, g) for d in depts for g in groups}
        for (dept, group), weights in sums.items():
            assert sum(weights) == groups[group], (year, dept, group)
            if dept.startswith("SYN-"):
                assert 3 <= len(weights) <= 5


def test_budget_parts_add_up_exactly(scored):
    out, _, _ = scored
    for year in YEARS:
        for r in rows(out / str(year) / "budget.csv"):
            if not r["dept_code"].startswith("SYN-"):
                continue
            d = {k: Decimal(v) for k, v in r.items() if k != "dept_code" and v}
            assert d["basic_budget"] + d["project_budget"] == d["full_year_budget"]
            assert d["basic_executed"] + d["project_executed"] == d["executed"]
            assert d["final_accounts"] == d["executed"]
            assert d["carryover_total"] == d["carryover_fiscal"] + d["carryover_nonfiscal"]
            assert Decimal(500) * Decimal("0.8") < d["full_year_budget"] < Decimal(50_000) * 2


def test_codes_names_and_categories_are_stable_across_years(scored):
    out, _, _ = scored
    seen: dict[str, tuple[str, str]] = {}
    for year in YEARS:
        for r in rows(out / str(year) / "departments.csv"):
            if r["dept_code"].startswith("SYN-"):
                assert "合成数据" in r["dept_name"]
                assert seen.setdefault(r["dept_code"], (r["dept_name"], r["category"])) == (
                    r["dept_name"],
                    r["category"],
                )
    assert len(seen) == DEPARTMENTS


def test_the_seed_department_is_copied_unchanged_into_2023_only(scored):
    out, summary, _ = scored
    assert summary["seed_departments"] == ["BJ-FAO"]
    for name, spec in extract_specs().items():
        raw = RAW / "seed" / "2023" / f"{name}.csv"
        if not raw.exists():
            continue
        frame, _ = read_table(raw)
        known = spec.header_map()
        want = [
            {known[header_key(h)]: v for h, v in row.items() if h != "__overflow__" and v}
            for row in frame.to_dict("records")
        ]
        got = [
            {k: v for k, v in r.items() if v}
            for r in rows(out / "2023" / f"{name}.csv")
            if r["dept_code"] == "BJ-FAO"
        ]
        assert got == want, name
    for year in (2022, 2024):
        assert "BJ-FAO" not in {r["dept_code"] for r in rows(out / str(year) / "departments.csv")}
    readme = (out / "README.md").read_text("utf-8")
    assert "synthetic" in readme and "raw/seed/2023/README.md" in readme


def test_self_reported_ratio_scores_agree_with_the_pipeline(scored):
    out, summary, con = scored
    assert summary["self_reported"]
    checked = 0
    for year in YEARS:
        for r in rows(out / str(year) / "self_reported.csv"):
            if r["dept_code"] in summary["self_reported"] and r["line_code"] == "budget_execution":
                score = con.execute(
                    "SELECT computed_score FROM line_scores WHERE year = ? AND dept_code = ? "
                    "AND line_code = 'budget_execution'",
                    [year, r["dept_code"]],
                ).fetchone()[0]
                assert Decimal(r["reported_score"]) == score
                checked += 1
    assert checked


def test_xlsx_output_is_reproducible_too(tmp_path):
    for name in ("a", "b"):
        generate(tmp_path / name, [2023], 4, rubric_for, include_seed_department=False, fmt="xlsx")
    assert files(tmp_path / "a") == files(tmp_path / "b")
    assert (tmp_path / "a" / "2023" / "budget.xlsx").exists()


def test_cli_writes_the_years_and_records_its_command(tmp_path, capsys):
    rubrics = year_rubrics(tmp_path / "rubrics", [2024])
    argv = ["--out", str(tmp_path / "out"), "--years", "2024", "--departments", "5"]
    assert main([*argv, "--rubrics-dir", str(rubrics)]) == 0
    assert (tmp_path / "out" / "2024" / "checklist.csv").exists()
    assert "python -m pipelines.samples --out" in (tmp_path / "out" / "README.md").read_text()
    assert "：5 个部门（" in capsys.readouterr().out
    assert main([*argv, "--rubrics-dir", str(rubrics), "--lang", "en"]) == 0
    assert ": 5 departments (" in capsys.readouterr().out


def test_cli_fails_with_the_rubric_error_when_a_year_has_no_rubric(tmp_path, capsys):
    argv = ["--out", str(tmp_path / "out"), "--years", "2023", "2031"]
    assert main([*argv, "--rubrics-dir", str(RUBRICS)]) == 1
    err = capsys.readouterr().err
    assert "地区“北京市”没有 2031 年度的评分细则" in err
    assert not (tmp_path / "out").exists()


def test_cli_help_describes_the_options(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    text = capsys.readouterr().out
    for option in (
        "--out",
        "--years",
        "--departments",
        "--seed",
        "--rubrics-dir",
        "--jurisdiction",
    ):
        assert option in text


def test_a_chongqing_year_without_checklist_lines_is_generated_and_scored(tmp_path):
    """chongqing/2023 has completion bands without over-achievement and no checklist
    lines: the year still generates (checklist.csv is its header alone) and every
    department is scored without an error."""
    rubric = RubricLibrary(RUBRICS).get("chongqing", 2023).rubric
    out = tmp_path / "raw"
    generate(out, [2023], 6, lambda year: rubric, seed=7, include_seed_department=False)
    assert (out / "2023" / "checklist.csv").read_text("utf-8") == (
        "dept_code,line_code,criterion_no,passed\n"
    )
    summary = run_year(out, RUBRICS, tmp_path / "w.duckdb", 2023)
    assert (summary.departments, summary.scored, summary.refused_rows) == (6, 6, 0)
    assert "error" not in summary.findings
