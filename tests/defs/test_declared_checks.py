"""The score checks declared once (pipelines.quality.checks) find what they say."""

import duckdb
import pandas as pd
import pytest

from pipelines.messages import catalog
from pipelines.quality.checks import (
    COLUMNS,
    LINE_SCORE_IN_RANGE,
    SCORES_CONSISTENT,
    TOTAL_IS_SUM_OF_SECTIONS,
    offending_rows,
)


@pytest.fixture
def con():
    con = duckdb.connect()
    con.execute("""
        CREATE TABLE line_scores (year INTEGER, dept_code VARCHAR, line_code VARCHAR,
                                  weight DECIMAL(18,2), final_score DECIMAL(18,2));
        CREATE TABLE section_scores (year INTEGER, dept_code VARCHAR, section VARCHAR,
                                     score DECIMAL(18,2));
        CREATE TABLE department_scores (year INTEGER, dept_code VARCHAR,
                                        total_score DECIMAL(18,2), uncapped_total DECIMAL(18,2));
        INSERT INTO line_scores VALUES
            (2023, 'A', 'l1', 10, 10), (2023, 'A', 'l2', 5, 0),
            (2023, 'B', 'l1', 10, 10.5), (2023, 'B', 'l2', 5, -1),
            (2022, 'A', 'l1', 10, 11);  -- another year: not this check's
        INSERT INTO section_scores VALUES
            (2023, 'A', 's1', 60), (2023, 'A', 's2', 37.5),
            (2023, 'B', 's1', 50), (2023, 'B', 's2', 30),
            (2023, 'C', 's1', 90);
        -- A is capped at 89 (its uncapped total is the sum), B's total is wrong,
        -- C comes from an older file without uncapped_total
        INSERT INTO department_scores VALUES
            (2023, 'A', 89, 97.5), (2023, 'B', 81, 81), (2023, 'C', 90, NULL);
    """)
    yield con
    con.close()


def test_each_rule_finds_its_offending_rows(con):
    found = offending_rows(con, 2023)
    assert list(found.columns) == [*COLUMNS, "check"]
    rows = sorted(
        (r.check, r.dept_code, None if pd.isna(r.line_code) else r.line_code, float(r.score))
        for r in found.itertuples()
    )
    assert rows == [
        ("line_score_in_range", "B", "l1", 10.5),
        ("line_score_in_range", "B", "l2", -1.0),
        ("total_is_sum_of_sections", "B", None, 81.0),
    ]
    assert float(found.loc[found["check"] == "total_is_sum_of_sections", "expected"].iloc[0]) == 80


def test_a_year_that_holds_passes(con):
    assert offending_rows(con, 2021).empty
    assert list(offending_rows(con, 2021).columns) == [*COLUMNS, "check"]


def test_each_rule_is_declared_once_with_its_sentence():
    assert SCORES_CONSISTENT == (LINE_SCORE_IN_RANGE, TOTAL_IS_SUM_OF_SECTIONS)
    assert len({c.name for c in SCORES_CONSISTENT}) == len(SCORES_CONSISTENT)
    for check in SCORES_CONSISTENT:
        assert check.about in catalog("zh") and check.about in catalog("en")


def test_a_jurisdiction_s_rows_only_when_one_is_named(con):
    con.execute("""
        CREATE TABLE staged_departments (year INTEGER, dept_code VARCHAR, jurisdiction VARCHAR);
        INSERT INTO staged_departments VALUES
            (2023, 'A', 'beijing'), (2023, 'B', 'chongqing'), (2023, 'C', 'beijing');
    """)
    assert offending_rows(con, 2023, jurisdiction="beijing").empty  # B is chongqing's
    found = offending_rows(con, 2023, jurisdiction="chongqing")
    assert sorted(set(found["dept_code"])) == ["B"] and len(found) == 3
