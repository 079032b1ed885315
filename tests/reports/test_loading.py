"""Loading is set-based: department reports read each view once per chunk of
departments, never once per department; the summaries read per-department frames and
DuckDB's aggregates of the lines, never the lines; the warehouse is opened read-only."""

from collections import Counter

import duckdb
import pytest

from pipelines.reports import build_reports, data
from tests.reports.conftest import query

CHUNK_VIEWS = [view for view, _, _ in data.CHUNK_QUERIES.values()]


@pytest.fixture
def calls(monkeypatch) -> list[str]:
    """Every SQL statement the reports run."""
    seen: list[str] = []
    real_connect = duckdb.connect

    class Counting:
        def __init__(self, con):
            self.con = con

        def execute(self, sql, params=None):
            seen.append(sql)
            return self.con.execute(sql, params)

        def close(self):
            self.con.close()

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.close()

    def connect(path, read_only=False, **kwargs):
        assert read_only, "reports must open the warehouse read-only"
        return Counting(real_connect(path, read_only=read_only, **kwargs))

    monkeypatch.setattr(data.duckdb, "connect", connect)
    return seen


def test_one_query_per_view_and_chunk(warehouse, tmp_path, calls):
    (scored,) = query(warehouse, "SELECT count(*) FROM v_rankings WHERE year = 2023")[0]
    assert scored >= 40
    written = build_reports(warehouse, 2023, tmp_path, formats=("md",), workers=1, chunk_size=10)
    chunks = -(-scored // 10)
    per_view = Counter(view for sql in calls for view in CHUNK_VIEWS if f"FROM {view} WHERE" in sql)
    assert {view: per_view[view] for view in CHUNK_VIEWS if view != "v_findings"} == {
        view: chunks for view in CHUNK_VIEWS if view != "v_findings"
    }
    assert per_view["v_findings"] <= chunks  # only for chunks that have findings
    chunk_sql = [sql for sql in calls if data.CHUNK in sql]
    assert chunk_sql and all("year = ?" in sql for sql in chunk_sql)
    assert len([p for p in written if p.parent.name == "departments"]) == scored


def test_the_summary_reads_aggregates_of_the_lines(warehouse, tmp_path, calls):
    written = build_reports(warehouse, 2023, tmp_path, formats=("html",), departments=False)
    assert [p.name for p in written] == ["summary.html", "index.html"]
    on_lines = [sql for sql in calls if "v_line_scores" in sql]
    assert on_lines and all("GROUP BY" in sql for sql in on_lines)
    on_findings = [sql for sql in calls if "FROM v_findings" in sql]
    # once, for the departments of the findings shown: counted from the table by code
    assert len(on_findings) == 1 and "list_contains(?, dept_code)" in on_findings[0]
