"""Loading is set-based: one query per view for the whole year, whatever the number
of departments; the warehouse is opened read-only."""

import duckdb

from pipelines.reports import build_reports, data
from tests.reports.conftest import query


def test_one_query_per_view_for_forty_departments(warehouse, tmp_path, monkeypatch):
    (scored,) = query(warehouse, "SELECT count(*) FROM v_rankings WHERE year = 2023")[0]
    assert scored >= 40
    calls = []
    real_connect = duckdb.connect

    class Counting:
        def __init__(self, con):
            self.con = con

        def execute(self, sql, params=None):
            calls.append(sql)
            return self.con.execute(sql, params)

        def close(self):
            self.con.close()

    def connect(path, read_only=False):
        assert read_only, "reports must open the warehouse read-only"
        return Counting(real_connect(path, read_only=read_only))

    monkeypatch.setattr(data.duckdb, "connect", connect)
    written = build_reports(warehouse, 2023, tmp_path, formats=("md",))
    assert len(calls) == len(data.QUERIES)
    assert all("year = ?" in sql for sql in calls)
    assert len([p for p in written if p.parent.name == "departments"]) == scored
