"""The city-wide summary of a year."""

import pytest

from pipelines.reports.data import load_year
from pipelines.reports.numbers import pct, score
from tests.reports.conftest import query
from tests.reports.dom import Page


@pytest.fixture(scope="module")
def page(built) -> Page:
    return Page((built / "2023" / "beijing" / "summary.html").read_text(encoding="utf-8"))


def test_ranking_table_follows_v_rankings(page, warehouse):
    rows = page.tables["ranking-table"][1:]
    expected = query(
        warehouse,
        "SELECT rank, dept_code FROM v_rankings WHERE year = 2023 ORDER BY rank, dept_code",
    )
    assert [int(r[0]) for r in rows] == [rank for rank, _ in expected]
    assert all(r[1].endswith(code) for r, (_, code) in zip(rows, expected, strict=True))


def test_grades_heatmap_lost_lines_and_findings(page, warehouse):
    grades = query(
        warehouse,
        """SELECT grade, departments, share_pct FROM v_grade_distribution WHERE year = 2023
           ORDER BY list_position(['优', '良', '中', '差'], grade)""",
    )
    assert page.tables["grade-table"][1:] == [[g, str(n), pct(s)] for g, n, s in grades]
    assert {"grade-chart", "section-heatmap"} <= page.svg_inside
    line_code, name, lost = query(
        warehouse,
        """SELECT line_code, name, sum(weight - final_score) AS lost FROM v_line_scores
           WHERE year = 2023 GROUP BY ALL ORDER BY lost DESC, line_code LIMIT 1""",
    )[0]
    assert page.tables["top-lost"][1][:2] == [line_code, name]
    assert page.tables["top-lost"][1][3] == score(lost)
    (severities,) = query(
        warehouse, "SELECT count(DISTINCT severity) FROM v_findings WHERE year = 2023"
    )[0]
    assert len(page.tables.get("findings-summary", [])) == (1 + severities if severities else 0)


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
