"""The city-wide summary of a year."""

import duckdb
import pytest

from pipelines.reports.data import load_year
from tests.reports.dom import Page


@pytest.fixture(scope="module")
def page(built) -> Page:
    return Page((built / "2023" / "beijing" / "summary.html").read_text(encoding="utf-8"))


def test_ranking_table_follows_v_rankings(page, warehouse):
    rows = page.tables["ranking-table"][1:]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        expected = con.execute(
            "SELECT rank, dept_code FROM v_rankings WHERE year = 2023 ORDER BY rank, dept_code"
        ).fetchall()
    assert [int(r[0]) for r in rows] == [rank for rank, _ in expected]
    assert all(r[1].endswith(code) for r, (_, code) in zip(rows, expected, strict=True))


def test_grades_heatmap_lost_lines_and_findings(page):
    assert page.tables["grade-table"][1:] == [
        ["优", "29", "72.50%"], ["良", "8", "20.00%"], ["中", "2", "5.00%"], ["差", "1", "2.50%"]
    ]  # fmt: skip
    assert {"grade-chart", "section-heatmap"} <= page.svg_inside
    top = page.tables["top-lost"]
    assert top[1][:4] == ["budget_execution", "资金总体", "当年预算执行情况", "72.49"]
    assert "findings-summary" in page.text_by_id


def test_the_city_median_is_the_median_of_the_jurisdictions_year(warehouse):
    data = load_year(warehouse, 2023)
    medians = data.sections.groupby(["jurisdiction", "section"])["city_median"].unique()
    assert all(len(m) == 1 for m in medians)
    recomputed = data.sections.groupby(["jurisdiction", "section"])["score"].median()
    for key, median in recomputed.items():
        assert float(medians[key][0]) == pytest.approx(median)


def test_links_to_department_pages(built):
    html = (built / "2023" / "beijing" / "summary.html").read_text(encoding="utf-8")
    assert 'href="departments/BJ-FAO.html"' in html
