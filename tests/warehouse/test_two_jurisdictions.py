"""A year with departments of two jurisdictions: each is scored by its own rubric, and
each finding is recorded once (a later rubric's checks never re-read an earlier one's
departments)."""

import shutil
from pathlib import Path

import duckdb
import pandas as pd

from pipelines.annual import run_year
from pipelines.ingest.spec import extract_specs
from tests.conftest import ROOT, RUBRICS, SEED_RAW

CHONGQING = ROOT / "tests" / "fixtures" / "chongqing" / "2023"


def _both(out: Path) -> Path:
    year = out / "2023"
    year.mkdir(parents=True)
    for name in ("departments", "budget", "indicators", "checklist", "self_reported"):
        # the seed's files have Chinese headers: one header per column before joining
        ids = {label: c.name for c in extract_specs()[name].columns.values() for label in c.labels}
        parts = [
            pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False).rename(
                columns=ids
            )
            for folder in (SEED_RAW / "2023", CHONGQING)
            if (folder / f"{name}.csv").exists()
        ]
        pd.concat(parts).fillna("").to_csv(year / f"{name}.csv", index=False)
    # an approved override of the first rubric's department (beijing is scored first)
    (year / "overrides.csv").write_text(
        "dept_code,line_code,score,reason,approved_by\nBJ-FAO,fin_system,0.5,复核,张三\n", "utf-8"
    )
    return out


def test_each_jurisdictions_findings_are_recorded_once(tmp_path):
    warehouse = tmp_path / "w.duckdb"
    run_year(_both(tmp_path / "raw"), RUBRICS, warehouse, 2023)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rubrics = dict(con.execute("SELECT dept_code, rubric_id FROM department_scores").fetchall())
        findings = con.execute(
            "SELECT dept_code, line_code, code, count(*) FROM v_findings GROUP BY ALL ORDER BY ALL"
        ).fetchall()
    assert rubrics == {
        "BJ-FAO": "beijing/2023",
        "CQ-DEMO-1": "chongqing/2023",
        "CQ-DEMO-2": "chongqing/2023",
    }
    assert ("CQ-DEMO-2", None, "total_capped", 1) in findings  # worked once, not per rubric
    assert ("CQ-DEMO-1", None, "group_reweighted", 1) in findings
    assert ("BJ-FAO", "fin_system", "override_applied", 1) in findings
    assert all(n == 1 for *_, n in findings), findings


# One jurisdiction's part of a year at a time (a Dagster partition, jurisdiction × year):
# the same rows as the year scored whole, and the other jurisdiction's rows untouched.
RESULT_TABLES = (
    "department_scores",
    "section_scores",
    "group_scores",
    "line_scores",
    "budget_rates",
    "findings",
    "rejected_rows",
    "staged_departments",
    "staged_budget",
    "staged_indicators",
)


def _with_refusals(out: Path) -> Path:
    """The two jurisdictions' year, with a budget row of an unknown department (the
    year's own refusal) and an indicator row of CQ-DEMO-2 that cannot be read
    (chongqing's)."""
    raw = _both(out)
    with (raw / "2023" / "budget.csv").open("a", encoding="utf-8") as f:
        f.write("ZZ-UNKNOWN" + ",1.00" * 9 + "\n")
    path = raw / "2023" / "indicators.csv"
    indicators = pd.read_csv(path, dtype=str, keep_default_na=False)
    row = indicators[indicators["dept_code"] == "CQ-DEMO-2"].iloc[[0]]
    row = row.assign(line_code="cq_unreadable", target="很多")
    pd.concat([indicators, row]).to_csv(path, index=False)
    return raw


def _rows(warehouse: Path, table: str, where: str = "TRUE") -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(
            f"SELECT * EXCLUDE (run_id) FROM {table} WHERE {where} ORDER BY ALL"
            if table not in {n for n in RESULT_TABLES if n.startswith("staged_")}
            else f"SELECT * FROM {table} WHERE {where} ORDER BY ALL"
        ).fetchall()


def test_each_jurisdiction_scored_alone_writes_what_the_whole_year_writes(tmp_path):
    raw = _with_refusals(tmp_path / "raw")
    whole, parts = tmp_path / "whole.duckdb", tmp_path / "parts.duckdb"
    run_year(raw, RUBRICS, whole, 2023)
    run_year(raw, RUBRICS, parts, 2023, jurisdiction="chongqing")
    run_year(raw, RUBRICS, parts, 2023, jurisdiction="beijing")
    for table in RESULT_TABLES:
        assert _rows(parts, table) == _rows(whole, table), table
    refused = {
        (r[1], r[-1])
        for r in _rows(parts, "rejected_rows")  # (file, jurisdiction)
    }
    assert refused == {("2023/budget.csv", None), ("2023/indicators.csv", "chongqing")}
    with duckdb.connect(str(parts), read_only=True) as con:
        runs = con.execute("SELECT jurisdiction, departments FROM runs ORDER BY 1").fetchall()
        found = con.execute(
            "SELECT DISTINCT dept_code, jurisdiction FROM v_findings ORDER BY ALL"
        ).fetchall()
        ranks = con.execute(
            "SELECT dept_code, rank, rank_out_of FROM v_department_scores ORDER BY 1"
        ).fetchall()
    assert runs == [("beijing", 1), ("chongqing", 2)]
    assert found == [
        ("BJ-FAO", "beijing"),
        ("CQ-DEMO-1", "chongqing"),
        ("CQ-DEMO-2", "chongqing"),
    ]
    # each ranked within its jurisdiction; CQ-DEMO-2's unreadable row leaves it unscored
    assert ranks == [("BJ-FAO", 1, 1), ("CQ-DEMO-1", 1, 1)]


def test_scoring_one_jurisdiction_again_leaves_the_other_as_it_was(tmp_path):
    raw = _with_refusals(tmp_path / "raw")
    warehouse = tmp_path / "w.duckdb"
    run_year(raw, RUBRICS, warehouse, 2023, run_id="cq-1", jurisdiction="chongqing")
    run_year(raw, RUBRICS, warehouse, 2023, run_id="bj-1", jurisdiction="beijing")
    chongqing = "dept_code LIKE 'CQ-%'"
    before = {t: _rows(warehouse, t, chongqing) for t in ("department_scores", "line_scores")}

    overrides = raw / "2023" / "overrides.csv"  # beijing's override changes
    overrides.write_text(overrides.read_text("utf-8").replace(",0.5,", ",0.6,"), "utf-8")
    run_year(raw, RUBRICS, warehouse, 2023, run_id="bj-2", jurisdiction="beijing")

    after = {t: _rows(warehouse, t, chongqing) for t in ("department_scores", "line_scores")}
    assert after == before
    queries = {
        "owners": "SELECT dept_code, run_id FROM department_scores ORDER BY 1",
        "versions": "SELECT run_id, jurisdiction FROM score_versions ORDER BY published_at",
        "current": "SELECT dept_code, run_id FROM v_score_history WHERE current ORDER BY 1",
        "refused": "SELECT file, jurisdiction, run_id FROM rejected_rows ORDER BY 1",
        "stale": "SELECT * FROM v_stale_years",
    }
    with duckdb.connect(str(warehouse), read_only=True) as con:
        found = {name: con.execute(sql).fetchall() for name, sql in queries.items()}
    owners, versions, current, refused, stale = found.values()
    assert owners == [("BJ-FAO", "bj-2"), ("CQ-DEMO-1", "cq-1")]
    assert versions == [("cq-1", "chongqing"), ("bj-1", "beijing"), ("bj-2", "beijing")]
    assert current == owners
    # the year's own refusal is rewritten by each run; chongqing's stays with its run
    assert refused == [
        ("2023/budget.csv", None, "bj-2"),
        ("2023/indicators.csv", "chongqing", "cq-1"),
    ]
    assert stale == []


def test_only_the_jurisdiction_whose_last_year_changed_is_scored_again(tmp_path):
    """beijing|2022 scored again on changed files makes beijing|2023 stale, not
    chongqing|2023: jixiao run scores again that partition alone."""
    from pipelines.defs.runner import run_years

    rubrics = tmp_path / "rubrics"
    shutil.copytree(RUBRICS, rubrics)
    text = (rubrics / "chongqing" / "2023.yaml").read_text("utf-8")
    (rubrics / "chongqing" / "2022.yaml").write_text(
        text.replace("id: chongqing/2023", "id: chongqing/2022").replace(
            "\nyear: 2023", "\nyear: 2022"
        ),
        "utf-8",
    )
    raw = _both(tmp_path / "raw")
    shutil.copytree(raw / "2023", raw / "2022")
    warehouse = tmp_path / "w.duckdb"
    run_year(raw, rubrics, warehouse, 2022, run_id="2022-a")
    run_year(raw, rubrics, warehouse, 2023, run_id="2023-a")
    budget = raw / "2022" / "budget.csv"
    budget.write_text(budget.read_text("utf-8").replace("19,347.12", "19,000.00"), "utf-8")
    run_year(raw, rubrics, warehouse, 2022, run_id="2022-b", jurisdiction="beijing")
    assert [r[-1] for r in _rows(warehouse, "v_stale_years")] == ["beijing"]

    [outcome] = run_years(raw, rubrics, warehouse, [], reports="none", expectations=False)
    assert (outcome.year, outcome.ok, outcome.stale_since) == (2023, True, 2022)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        runs = con.execute("SELECT jurisdiction, run_id FROM runs WHERE year = 2023").fetchall()
        stale = con.execute("SELECT count(*) FROM v_stale_years").fetchone()[0]
    assert stale == 0
    # chongqing's 2023 is the whole-year run's still; beijing's is the new run's
    by_jurisdiction = dict(runs)
    assert set(by_jurisdiction) == {None, "beijing"}
    assert by_jurisdiction[None] == "2023-a" and by_jurisdiction["beijing"] != "2023-a"
