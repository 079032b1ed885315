"""Data is never markup and never a path: a department called <script>…, coded ../evil,
in a jurisdiction called ../../x, is escaped in every page and written inside out_dir.
The same altered warehouse carries findings and a department left unscored."""

import shutil

import duckdb
import pytest

from pipelines.reports import build_reports
from pipelines.reports.markdown import escape as md_escape
from pipelines.reports.paths import safe_component
from tests.reports.conftest import query
from tests.reports.dom import Page

EVIL_NAME = "<script>alert(1)</script>"
EVIL_CODE = "../evil"
EVIL_PLACE = "../../x"
EVIL_MESSAGE = "<b>bold</b> | a pipe"
# (dept_code, line_code, severity, code, params): findings the warehouse renders into
# sentences, one carrying markup; before findings kept params, the message itself.
FINDINGS = [
    (EVIL_CODE, "carryover_rate", "warning", "override_applied",
     {"computed": "4.00", "override": "3.00", "approved_by": "某某", "reason": EVIL_MESSAGE}),
    ("SYN-007", None, "error", "missing_budget", {}),
    (None, None, "info", "column_ignored", {"file": "budget.csv", "header": "备注"}),
]  # fmt: skip
OLD_MESSAGES = {"override_applied": EVIL_MESSAGE, "missing_budget": "no budget row",
                "column_ignored": "budget.csv: 备注"}  # fmt: skip


def _add_findings(con) -> None:
    columns = {
        name
        for (name,) in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'findings'"
        ).fetchall()
    }
    for dept, line, severity, code, params in FINDINGS:
        if "params" in columns:
            con.execute(
                """INSERT INTO findings (year, dept_code, line_code, severity, code, params, run_id)
                   VALUES (2023, ?, ?, ?, ?, MAP(?::VARCHAR[], ?::VARCHAR[]), 'run-2023')""",
                [dept, line, severity, code, list(params), list(params.values())],
            )
        else:
            con.execute(
                """INSERT INTO findings
                       (year, dept_code, line_code, severity, code, message, run_id)
                   VALUES (2023, ?, ?, ?, ?, ?, 'run-2023')""",
                [dept, line, severity, code, OLD_MESSAGES[code]],
            )


def message(warehouse, dept: str, code: str) -> str:
    """The finding's sentence as the warehouse renders it (Chinese)."""
    sql = "SELECT message FROM v_findings WHERE year = 2023 AND dept_code = ? AND code = ?"
    return query(warehouse, sql, [dept, code])[0][0]


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
        _add_findings(con)
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
    said = message(copy, EVIL_CODE, "override_applied")
    assert EVIL_MESSAGE in said
    dept = Page((folder / "departments" / f"{safe_component(EVIL_CODE)}.html").read_text("utf-8"))
    assert ["警告", "override_applied", "结转结余率", said] in dept.tables["findings"]
    md = (folder / "departments" / f"{safe_component(EVIL_CODE)}.md").read_text("utf-8")
    assert f"| 警告 | override\\_applied | 结转结余率 | {md_escape(said)} |" in md
    assert r"\<b\>bold\</b\> \| a pipe" in md
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
        ["SYN-007", "示例部门007（合成数据）", message(copy, "SYN-007", "missing_budget")]
    ]
    # SYN-006 moved to another jurisdiction and SYN-007 lost its score
    (scored,) = query(copy, "SELECT count(*) FROM v_rankings WHERE year = 2023")[0]
    assert len(summary.tables["ranking-table"]) == 1 + scored - 1
