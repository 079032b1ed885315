"""A second table shape through the same `jixiao run`: the Chongqing-style rubric.

Hand calculation (rubrics/chongqing/2023.yaml: execution × 10; indicator lines by
coefficient ≥100% 1.0, ≥90% 0.9, ≥80% 0.8, ≥60% 0.6; 不适用 re-weights its group;
execution in [70%, 80%) caps the total at 89):

CQ-DEMO-1  execution 4000 / 5000 = 80.00% × 10 = 8.00 (80% is not below 80: no cap)
  output      114 / 120 = 95.00% → 0.9 × 15 = 13.50; 100% → 10.00; 良 vs 优 → 60% × 15 = 9.00
              = 32.50
  effect      92 / 90 = 102.22% → 15.00; 不适用 (15 points) left out → 15.00 × 30 / 15 = 30.00
  management  reverse 10 / 12.5 = 80.00% → 0.8 × 8 = 6.40; reverse 15 / 12 = 125% → 6.00;
              85 / 100 = 85.00% → 0.8 × 6 = 4.80; = 17.20
  total 8.00 + 32.50 + 30.00 + 17.20 = 87.70 → 良
CQ-DEMO-2  execution 1500 / 2000 = 75.00% × 10 = 7.50; every line 100%: 40 + 30 + 20
  total 97.50, capped at 89.00 (execution in [70%, 80%)) → 良
"""

import shutil
from decimal import Decimal

import duckdb

from tests.cli import LEAN, jixiao
from tests.conftest import ROOT, RUBRICS

FIXTURE = ROOT / "tests" / "fixtures" / "chongqing"


def test_a_chongqing_style_department_scores_through_jixiao_run(tmp_path):
    warehouse = tmp_path / "cq.duckdb"
    done = jixiao(
        "run",
        *LEAN,
        "--lang",
        "en",
        "--raw-dir",
        FIXTURE,
        "--rubrics-dir",
        RUBRICS,
        "--warehouse",
        warehouse,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2023: ok — 2 of 2 department(s) scored, 0 refused row(s)" in done.stdout
    with duckdb.connect(str(warehouse), read_only=True) as con:
        totals = con.execute(
            "SELECT dept_code, uncapped_total, total_score, grade, rubric_id, rank "
            "FROM v_department_scores ORDER BY dept_code"
        ).fetchall()
        groups = dict(
            con.execute(
                "SELECT \"group\", score FROM v_group_scores WHERE dept_code = 'CQ-DEMO-1'"
            ).fetchall()
        )
        findings = con.execute("SELECT dept_code, code FROM v_findings ORDER BY ALL").fetchall()
        na_line = con.execute(
            "SELECT final_score, actual_en FROM v_line_scores WHERE line_code = 'cq_e2'"
        ).fetchone()
    d = Decimal
    assert totals == [
        ("CQ-DEMO-1", d("87.70"), d("87.70"), "良", "chongqing/2023", 2),
        ("CQ-DEMO-2", d("97.50"), d("89.00"), "良", "chongqing/2023", 1),
    ]
    assert groups == {"output": d("32.50"), "effect": d("30.00"), "management": d("17.20")}
    assert ("CQ-DEMO-2", "total_capped") in findings
    assert ("CQ-DEMO-1", "group_reweighted") in findings
    assert na_line == (None, "not_applicable")


def test_jixiao_run_scores_each_jurisdiction_of_a_year_and_names_each_that_fails(tmp_path):
    from tests.warehouse.test_two_jurisdictions import _both

    raw = _both(tmp_path / "raw")  # BJ-FAO and the two Chongqing departments
    warehouse = tmp_path / "w.duckdb"
    args = ["run", *LEAN, "--raw-dir", raw, "--warehouse", warehouse]
    done = jixiao(*args, "--rubrics-dir", RUBRICS)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2023 年度：完成——共 3 个部门，评分 3 个" in done.stdout  # two runs, one line

    # chongqing's rubric broken: staging a year reads every rubric of the year, so each
    # partition fails and says why; each keeps its last good state
    rubrics = tmp_path / "rubrics"
    shutil.copytree(RUBRICS, rubrics)
    (rubrics / "chongqing" / "2023.yaml").write_text("id: [", "utf-8")
    overrides = raw / "2023" / "overrides.csv"
    overrides.write_text(overrides.read_text("utf-8").replace(",0.5,", ",0.6,"), "utf-8")
    done = jixiao(*args, "--rubrics-dir", rubrics)
    assert done.returncode == 1
    [line] = [x for x in done.stdout.splitlines() if x.startswith("2023 年度：")]
    assert line.startswith("2023 年度：失败——beijing|2023：")
    reasons = [x for x in done.stdout.splitlines() if "chongqing/2023.yaml" in x]
    assert [r.split("：")[0] for r in reasons] == ["2023 年度", "chongqing|2023"]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        runs = con.execute("SELECT jurisdiction, count(*) FROM runs GROUP BY 1 ORDER BY 1")
        assert runs.fetchall() == [("beijing", 1), ("chongqing", 1)]
        fin_system = con.execute(
            "SELECT final_score FROM v_line_scores "
            "WHERE dept_code = 'BJ-FAO' AND line_code = 'fin_system'"
        ).fetchone()
    assert fin_system == (Decimal("0.50"),)  # the last good state
