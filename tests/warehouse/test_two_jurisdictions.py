"""A year with departments of two jurisdictions: each is scored by its own rubric, and
each finding is recorded once (a later rubric's checks never re-read an earlier one's
departments)."""

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
