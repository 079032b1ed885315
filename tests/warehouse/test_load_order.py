"""A year's scores do not depend on the order years are loaded in.

Year N's carryover line compares with year N − 1's staged rows. Scored before N − 1
is loaded, N uses the extract's prior_* columns instead; when N − 1 arrives, N is
stale until it is scored again, and then it equals N scored after N − 1.
"""

import shutil

import dagster as dg
import duckdb
import pytest

from pipelines.annual import run_year
from pipelines.defs.runner import run_years
from pipelines.messages import say
from tests.conftest import RAW, RUBRICS

SCORED = ("department_scores", "group_scores", "section_scores", "line_scores", "budget_rates")


def differences(a, b, year: int) -> dict[str, int]:
    """Rows of ``year`` in either warehouse and not in the other, run ids aside."""
    out = {}
    with duckdb.connect() as con:
        con.execute(f"ATTACH '{a}' AS a (READ_ONLY); ATTACH '{b}' AS b (READ_ONLY)")
        for table in SCORED:
            rows = 0
            for x, y in (("a", "b"), ("b", "a")):
                (n,) = con.execute(
                    f"""SELECT count(*) FROM (
                        SELECT * EXCLUDE (run_id) FROM {x}.{table} WHERE year = {year}
                        EXCEPT ALL
                        SELECT * EXCLUDE (run_id) FROM {y}.{table} WHERE year = {year})"""
                ).fetchone()
                rows += n
            out[table] = rows
    return out


def query(path, sql, params=()):
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


@pytest.fixture(scope="module")
def in_order(tmp_path_factory):
    """2022, then 2023: the order a careful operator would load them in."""
    path = tmp_path_factory.mktemp("in-order") / "w.duckdb"
    run_year(RAW, RUBRICS, path, 2022)
    run_year(RAW, RUBRICS, path, 2023)
    return path


def test_a_year_loaded_before_last_year_is_stale_then_equal_once_scored_again(in_order, tmp_path):
    reversed_order = tmp_path / "w.duckdb"
    run_year(RAW, RUBRICS, reversed_order, 2023)
    run_year(RAW, RUBRICS, reversed_order, 2022)

    # 2023 was scored without 2022: its carryover compared with the prior_* columns
    assert query(in_order, "SELECT * FROM v_stale_years") == []
    [(year, _, used, now, jurisdiction)] = query(reversed_order, "SELECT * FROM v_stale_years")
    (raw_2022,) = query(reversed_order, "SELECT raw_hash FROM score_versions WHERE year = 2022")[0]
    assert (year, used, now, jurisdiction) == (2023, None, raw_2022, "beijing")
    assert sum(differences(in_order, reversed_order, 2023).values()) > 0

    run_year(RAW, RUBRICS, reversed_order, 2023)
    assert query(reversed_order, "SELECT * FROM v_stale_years") == []
    assert differences(in_order, reversed_order, 2023) == dict.fromkeys(SCORED, 0)
    # the scores 2023 had before stay in its history, as an earlier version
    assert query(reversed_order, "SELECT count(*) FROM score_versions WHERE year = 2023") == [(2,)]


def test_each_department_names_the_last_year_inputs_it_compared_with(in_order):
    (raw_2022,) = query(in_order, "SELECT raw_hash FROM score_versions WHERE year = 2022")[0]
    rows = dict(
        query(
            in_order,
            "SELECT dept_code, prior_year_inputs FROM v_department_scores WHERE year = 2023",
        )
    )
    had_2022 = {
        code for (code,) in query(in_order, "SELECT dept_code FROM staged_budget WHERE year = 2022")
    }
    assert had_2022 and set(rows) - had_2022  # both kinds are in the bundled years
    for code, used in rows.items():
        assert used == (raw_2022 if code in had_2022 else None), code
    # BJ-FAO's own extracts start in 2023: its carryover baseline is its prior_* column
    assert rows["BJ-FAO"] is None


def test_jixiao_run_scores_again_the_year_whose_last_year_it_changed(tmp_path, monkeypatch):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster"))  # runs recorded there
    (tmp_path / "dagster").mkdir()
    (tmp_path / "dagster" / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    raw = tmp_path / "raw"
    for year in ("2022", "2023"):
        shutil.copytree(RAW / year, raw / year)
    warehouse = tmp_path / "w.duckdb"
    [first] = run_years(raw, RUBRICS, warehouse, [2023], reports="none", expectations=False)
    assert first.ok and first.stale_since is None

    outcomes = run_years(raw, RUBRICS, warehouse, [2022], reports="none", expectations=False)
    assert [(o.year, o.ok, o.stale_since) for o in outcomes] == [
        (2022, True, None),
        (2023, True, 2022),
    ]
    assert outcomes[1].line("zh").endswith("（2022 年度的数据在该年度评分后已变更，故重新评分）")
    assert query(warehouse, "SELECT * FROM v_stale_years") == []
    (used,) = query(
        warehouse,
        "SELECT count(prior_year_inputs) FROM department_scores WHERE year = 2023",
    )[0]
    both = """SELECT count(*) FROM staged_budget a JOIN staged_budget b USING (dept_code)
              WHERE a.year = 2023 AND b.year = 2022"""
    assert used == query(warehouse, both)[0][0] > 0

    # a stale year whose folder is gone is said, not guessed
    shutil.rmtree(raw / "2023")
    budget = raw / "2022" / "budget.csv"
    budget.write_text(budget.read_text("utf-8") + "\n", "utf-8")
    outcomes = run_years(raw, RUBRICS, warehouse, [2022], reports="none", expectations=False)
    assert [(o.year, o.ok, o.stale_since) for o in outcomes] == [
        (2022, True, None),
        (2023, False, 2022),
    ]
    assert outcomes[1].message.text("zh") == say(
        "cli.run.stale_no_raw", lang="zh", prior=2022, folder=raw / "2023"
    )
    # every run is a run of the named job, as the Dagster UI lists it
    with dg.DagsterInstance.get() as instance:
        runs = instance.get_runs()
    assert len(runs) == 4  # 2023, 2022, 2023 again, 2022 (2023's folder gone)
    assert {(r.job_name, r.tags["dagster/partition"]) for r in runs} == {
        ("annual_scoring", "beijing|2022"),
        ("annual_scoring", "beijing|2023"),
    }


def test_scoring_last_year_again_on_the_same_files_leaves_this_year_current(in_order):
    # last in this module: it re-scores the shared warehouse (with the same files)
    run_year(RAW, RUBRICS, in_order, 2022)
    assert query(in_order, "SELECT * FROM v_stale_years") == []
