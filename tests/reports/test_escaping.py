"""Data is never markup and never a path: a department called <script>…, coded ../evil,
in a jurisdiction called ../../x, is escaped in every page and written inside out_dir."""

import shutil

import duckdb
import pytest

from pipelines.reports import build_reports
from pipelines.reports.paths import safe_component
from tests.reports.dom import Page

EVIL_NAME = "<script>alert(1)</script>"
EVIL_CODE = "../evil"
EVIL_PLACE = "../../x"


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
    out = folder / "out"
    written = build_reports(copy, 2023, out)
    return out, written


def test_every_file_stays_inside_out_dir(evil_out):
    out, written = evil_out
    assert written and all(p.resolve().is_relative_to(out.resolve()) for p in written)
    assert all(p.resolve().is_relative_to(out.resolve()) for p in out.rglob("*"))
    evil = out / "2023" / "beijing" / "departments" / f"{safe_component(EVIL_CODE)}.html"
    assert evil.exists() and evil.parent.name == "departments"
    place = out / "2023" / safe_component(EVIL_PLACE)
    assert (place / "summary.html").exists()
    assert (place / "departments" / "SYN-006.html").exists()


def test_the_name_is_escaped_in_every_page(evil_out):
    out, _ = evil_out
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
    out, _ = evil_out
    md = (out / "2023" / "beijing" / "departments" / f"{safe_component(EVIL_CODE)}.md").read_text(
        encoding="utf-8"
    )
    assert "<script>" not in md
    assert r"\<script\>alert(1)\</script\>" in md
