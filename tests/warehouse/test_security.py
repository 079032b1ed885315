"""Hostile text in the data passes through as data: SQL is parameterised, YAML is safe."""

import shutil

import duckdb

from pipelines.annual import run_year
from tests.conftest import RUBRICS, SEED_RAW

HOSTILE = ["'; DROP TABLE department_scores; --", "<script>alert(1)</script>", 'x" OR "1"="1']


def test_hostile_names_and_codes_are_stored_verbatim_and_harm_nothing(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(SEED_RAW, raw)
    departments = raw / "2023" / "departments.csv"
    text = departments.read_text("utf-8")
    # a second department: the seed's rows copied under a hostile code and name
    for name in ("budget.csv", "indicators.csv", "checklist.csv"):
        path = raw / "2023" / name
        lines = path.read_text("utf-8").splitlines()
        extra = [line.replace("BJ-FAO", "X';--") for line in lines[1:] if "BJ-FAO" in line]
        path.write_text("\n".join([*lines, *extra]) + "\n", "utf-8")
    departments.write_text(
        text.replace("北京市人民政府外事办公室（市外办）", HOSTILE[0])
        + f'"X\';--","{HOSTILE[1]} {HOSTILE[2].replace(chr(34), chr(34) * 2)}",beijing,municipal\n',
        "utf-8",
    )
    warehouse = tmp_path / "w.duckdb"
    summary = run_year(raw, RUBRICS, warehouse, 2023)
    assert summary.scored == 2
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = dict(con.execute("SELECT dept_code, dept_name FROM v_department_scores").fetchall())
        tables = {t for (t,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert rows["BJ-FAO"] == HOSTILE[0]
    assert rows["X';--"] == f"{HOSTILE[1]} {HOSTILE[2]}"
    assert {"department_scores", "line_scores", "staged_departments"} <= tables
