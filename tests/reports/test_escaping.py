"""Data is never markup and never a path: a department called <script>…, coded ../evil,
in a jurisdiction called ../../x, is escaped in every page and written inside out_dir.
The same altered warehouse carries findings and a department left unscored."""

import shutil

import duckdb
import pytest

from pipelines.reports import build_reports
from pipelines.reports.paths import safe_component
from tests.reports.conftest import query
from tests.reports.dom import Page

EVIL_NAME = "<script>alert(1)</script>"
EVIL_CODE = "../evil"
EVIL_PLACE = "../../x"
EVIL_MESSAGE = "<b>bold</b> | a pipe"


@pytest.fixture(scope="module")
def evil_out(warehouse, tmp_path_factory):
    folder = tmp_path_factory.mktemp("evil")
    copy = folder / "w.duckdb"
    shutil.copy(warehouse, copy)
    with duckdb.connect(str(copy)) as con:
        tables = con.execute(
            """SELECT c.table_name FROM information_schema.columns c
               JOIN information_schema.tables t USING (table_schema, table_name)
               WHERE c.column_name = 'dept_code' AND t.table_type = 'BASE TABLE'"""
        ).fetchall()
        for (table,) in tables:
            con.execute(
                f'UPDATE "{table}" SET dept_code = ? WHERE dept_code = ?', [EVIL_CODE, "SYN-005"]
            )
        con.execute(
            "UPDATE staged_departments SET dept_name = ? WHERE dept_code = ?",
            [EVIL_NAME, EVIL_CODE],
        )
        con.execute(
            "UPDATE staged_departments SET jurisdiction = ? WHERE dept_code = 'SYN-006'",
            [EVIL_PLACE],
        )
        con.execute(
            """INSERT INTO findings VALUES
               (2023, ?, 'carryover_rate', 'warning', 'assessed_out_of_band', ?, 'run-2023'),
               (2023, 'SYN-007', NULL, 'error', 'missing_budget', 'no budget row', 'run-2023'),
               (2023, NULL, NULL, 'info', 'column_ignored', 'budget.csv: 备注', 'run-2023')""",
            [EVIL_CODE, EVIL_MESSAGE],
        )
        con.execute("DELETE FROM department_scores WHERE year = 2023 AND dept_code = 'SYN-007'")
    out = folder / "out"
    written = build_reports(copy, 2023, out)
    return out, written, copy


def test_every_file_stays_inside_out_dir(evil_out):
    out, written, _ = evil_out
    assert written and all(p.resolve().is_relative_to(out.resolve()) for p in written)
    assert all(p.resolve().is_relative_to(out.resolve()) for p in out.rglob("*"))
    evil = out / "2023" / "beijing" / "departments" / f"{safe_component(EVIL_CODE)}.html"
    assert evil.exists() and evil.parent.name == "departments"
    place = out / "2023" / safe_component(EVIL_PLACE)
    assert (place / "summary.html").exists()
    assert (place / "departments" / "SYN-006.html").exists()


def test_the_name_is_escaped_in_every_page(evil_out):
    out, _, _ = evil_out
    dept = out / "2023" / "beijing" / "departments" / f"{safe_component(EVIL_CODE)}.html"
    html = dept.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert Page(html).text("dept-name") == EVIL_NAME
    assert Page(html).text("dept-code") == EVIL_CODE
    for page in out.rglob("*.html"):
        assert "<script" not in page.read_text(encoding="utf-8"), page
    summary = (out / "2023" / "beijing" / "summary.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;" in summary  # in the ranking table and the heat map's labels


def test_markdown_keeps_the_name_as_text(evil_out):
    out, _, _ = evil_out
    md = (out / "2023" / "beijing" / "departments" / f"{safe_component(EVIL_CODE)}.md").read_text(
        encoding="utf-8"
    )
    assert "<script>" not in md
    assert r"\<script\>alert(1)\</script\>" in md


def test_findings_are_listed_and_escaped(evil_out):
    out, _, copy = evil_out
    folder = out / "2023" / "beijing"
    dept = Page((folder / "departments" / f"{safe_component(EVIL_CODE)}.html").read_text("utf-8"))
    assert ["警告", "assessed_out_of_band", "结转结余率", EVIL_MESSAGE] in dept.tables["findings"]
    md = (folder / "departments" / f"{safe_component(EVIL_CODE)}.md").read_text("utf-8")
    assert r"| 警告 | assessed\_out\_of\_band | 结转结余率 | \<b\>bold\</b\> \| a pipe |" in md
    summary = Page((folder / "summary.html").read_text("utf-8"))
    counts = {row[0]: int(row[1]) for row in summary.tables["findings-summary"][1:]}
    expected = query(
        copy,
        """SELECT severity, count(*) FROM v_findings WHERE year = 2023 AND (dept_code IS NULL
             OR dept_code IN (SELECT dept_code FROM staged_departments
                              WHERE year = 2023 AND jurisdiction = 'beijing'))
           GROUP BY ALL""",
    )
    labels = {"error": "错误", "warning": "警告", "info": "提示"}
    assert counts == {labels[severity]: n for severity, n in expected}
    assert counts["错误"] >= 1 and counts["警告"] >= 1 and counts["提示"] >= 1


def test_an_unscored_department_is_named_in_the_summary_only(evil_out):
    out, _, copy = evil_out
    folder = out / "2023" / "beijing"
    assert not (folder / "departments" / "SYN-007.html").exists()
    summary = Page((folder / "summary.html").read_text("utf-8"))
    assert summary.tables["unscored"][1:] == [
        ["SYN-007", "示例部门007（合成数据）", "no budget row"]
    ]
    # SYN-006 moved to another jurisdiction and SYN-007 lost its score
    (scored,) = query(copy, "SELECT count(*) FROM v_rankings WHERE year = 2023")[0]
    assert len(summary.tables["ranking-table"]) == 1 + scored - 1
