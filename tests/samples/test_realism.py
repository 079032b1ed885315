"""The generator's realism: findings for about a third of the departments and a few
refused rows, as in real years, scored by the real pipeline; the rows it spoils are
exactly the rows refused, and the figures it publishes are right unless slipped."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from pipelines.annual import run_year
from pipelines.rubric.library import RubricLibrary
from pipelines.samples import generate
from pipelines.samples.__main__ import main
from pipelines.samples.generate import SPOILED
from pipelines.samples.realism import REPORT_SOURCE
from tests.conftest import RUBRICS
from tests.samples.support import files, rows

YEARS = [2023, 2024]
DEPARTMENTS = 600
LIBRARY = RubricLibrary(RUBRICS)


def rubric_for(year: int):
    return LIBRARY.get("beijing", year).rubric


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    """Two realistic years, scored in order by the real pipeline into one warehouse."""
    tmp = tmp_path_factory.mktemp("realism")
    out = tmp / "raw"
    summary = generate(
        out, YEARS, DEPARTMENTS, rubric_for, include_seed_department=False, lines=22, realism=True
    )
    warehouse = tmp / "jixiao.duckdb"
    for year in YEARS:
        run_year(out, RUBRICS, warehouse, year, run_id=f"realism-{year}")
    con = duckdb.connect(str(warehouse), read_only=True)
    yield out, summary, con
    con.close()


def spoiled_by_year(out: Path) -> dict[int, list[dict[str, str]]]:
    by_year: dict[int, list[dict[str, str]]] = {year: [] for year in YEARS}
    for r in rows(out / SPOILED):
        by_year[int(r["year"])].append(r)
    return by_year


def test_the_rows_spoiled_are_the_rows_refused_and_only_their_departments_go_unscored(scored):
    out, summary, con = scored
    for year, spoiled in spoiled_by_year(out).items():
        assert spoiled and summary["spoiled"][year] == len(spoiled)
        refused = con.execute(
            'SELECT dept_code, "column" FROM rejected_rows WHERE year = ? ORDER BY ALL', [year]
        ).fetchall()
        assert refused == sorted((r["dept_code"], r["column"]) for r in spoiled), year
        depts = {r["dept_code"] for r in rows(out / str(year) / "departments.csv")}
        got = con.execute("SELECT dept_code FROM department_scores WHERE year = ?", [year])
        assert {r[0] for r in got.fetchall()} == depts - {r["dept_code"] for r in spoiled}


def test_about_a_third_of_departments_have_a_finding_and_about_a_thousandth_of_rows_is_refused(
    scored,
):
    out, _, con = scored
    for year in YEARS:
        depts = len(rows(out / str(year) / "departments.csv"))
        extracts = ("budget", "indicators", "checklist", "departments")
        raw_rows = sum(len(rows(out / str(year) / f"{name}.csv")) for name in extracts)
        [(with_findings, refused)] = con.execute(
            "SELECT (SELECT count(DISTINCT dept_code) FROM findings WHERE year = $y), "
            "(SELECT count(*) FROM rejected_rows WHERE year = $y)",
            {"y": year},
        ).fetchall()
        assert 0.25 <= with_findings / depts <= 0.42, (year, with_findings)
        assert 0.0005 <= refused / raw_rows <= 0.002, (year, refused, raw_rows)


def test_each_kind_of_finding_is_there(scored):
    _, _, con = scored

    def codes(year):
        found = con.execute("SELECT DISTINCT code FROM findings WHERE year = ?", [year])
        return {r[0] for r in found.fetchall()}

    every_year = {
        "assessed_out_of_band",
        "budget_parts_mismatch",
        "reported_score_mismatch",
        "reported_rate_mismatch",
        "reported_amount_mismatch",
        "input_refused",
    }
    assert every_year | {"no_prior_year_rate"} <= codes(2023)
    # with last year loaded: a stated prior rate its amounts do not give, a renamed line
    assert every_year | {"prior_rate_mismatch", "line_name_drift"} <= codes(2024)


def test_published_figures_are_right_unless_a_slip_changed_them(scored):
    out, _, con = scored
    for year in YEARS:
        reported = [
            r for r in rows(out / str(year) / "self_reported.csv") if r["source"] == REPORT_SOURCE
        ]
        lines = con.execute(
            "SELECT dept_code, line_code, final_score, weight FROM line_scores WHERE year = ?",
            [year],
        ).fetchall()
        score = {(d, line): (s, w) for d, line, s, w in lines}
        budget = {
            r["dept_code"]: Decimal(r["executed"]) for r in rows(out / str(year) / "budget.csv")
        }
        kinds = {"right": 0, "truncated": 0, "claimed in full": 0, "mistyped": 0}
        for r in reported:
            claim = Decimal(r["reported_score"])
            if r["measure"]:
                slip = claim - budget[r["dept_code"]]
                assert slip == 0 or (slip / Decimal("0.09")).log10() % 1 == 0, r
                kinds["right" if slip == 0 else "mistyped"] += 1
                continue
            if (r["dept_code"], r["line_code"]) not in score:
                continue  # a department refused at staging
            got, weight = score[r["dept_code"], r["line_code"]]
            if claim == got:
                kinds["right"] += 1
            elif r["line_code"] == "budget_execution":
                assert got - claim == Decimal("0.01"), r  # truncated, not rounded half up
                kinds["truncated"] += 1
            else:
                assert claim == weight, r  # a checklist line claimed in full
                kinds["claimed in full"] += 1
        assert kinds["right"] > sum(kinds.values()) / 2
        assert all(kinds.values()), (year, kinds)


def test_the_edge_cases_keep_their_roles(scored):
    _, summary, con = scored
    for year in YEARS:
        first, second = (
            con.execute(
                "SELECT total_score, rank FROM v_department_scores "
                "WHERE year = ? AND dept_code = ?",
                [year, code],
            ).fetchone()
            for code in summary["tie"]
        )
        assert first == second
        [(grade,)] = con.execute(
            "SELECT grade FROM department_scores WHERE year = ? AND dept_code = ?",
            [year, summary["poor"]],
        ).fetchall()
        assert grade == "差"


def test_realism_is_reproducible_and_leaves_no_trace_when_off(tmp_path):
    def make(name, realism):
        return generate(
            tmp_path / name,
            YEARS,
            40,
            rubric_for,
            seed=5,
            include_seed_department=False,
            realism=realism,
        )

    assert make("a", True) == make("b", True)
    assert files(tmp_path / "a") == files(tmp_path / "b")
    assert "--realism" in (tmp_path / "a" / "README.md").read_text("utf-8")
    clean = make("c", False)
    assert clean["spoiled"] is None and not (tmp_path / "c" / SPOILED).exists()
    for year in YEARS:  # realism changes rows, never which departments a year has
        name = f"{year}/departments.csv"
        assert files(tmp_path / "a")[name] == files(tmp_path / "c")[name]
    make("a", False)  # the same folder again, clean: no list of spoiled rows left behind
    assert files(tmp_path / "a") == files(tmp_path / "c")


def test_cli_realism_records_itself_in_the_readme(tmp_path, capsys):
    argv = ["--out", str(tmp_path), "--years", "2023", "--departments", "30"]
    assert main([*argv, "--no-seed-department", "--realism", "--rubrics-dir", str(RUBRICS)]) == 0
    readme = (tmp_path / "README.md").read_text("utf-8")
    assert "--realism" in readme and SPOILED in readme
    assert (tmp_path / SPOILED).exists()
    capsys.readouterr()
