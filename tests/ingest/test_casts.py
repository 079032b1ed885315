"""Staged text is typed once, by DuckDB, as extracts.yaml says: the staged tables'
columns have the types the casts give, and a figure reaches its DECIMAL from its text,
never through a binary float."""

from decimal import Decimal

import duckdb
import pandas as pd

from pipelines.ingest.casts import text_rows, typed_columns
from pipelines.ingest.spec import extract_specs
from pipelines.warehouse.schema import staged_ddl, staged_table


def typed(name: str, rows: list[dict], row_numbers: list[int]) -> list[dict]:
    spec = extract_specs()[name]
    frame = pd.DataFrame(
        [{c: r.get(c) for c in spec.columns} for r in rows],
        index=pd.Index(row_numbers, name="row_number"),
    )
    with duckdb.connect() as con:
        con.register("_rows", text_rows(frame, name))
        cursor = con.execute(f"SELECT row_number, {typed_columns(name)} FROM _rows")
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def test_the_staged_tables_have_the_types_the_casts_give():
    with duckdb.connect() as con:
        con.execute(staged_ddl())
        for name, spec in extract_specs().items():
            stored = dict(
                con.execute(
                    "SELECT column_name, data_type FROM information_schema.columns "
                    "WHERE table_name = ?",
                    [staged_table(name)],
                ).fetchall()
            )
            empty = pd.DataFrame(columns=list(spec.columns), dtype=object)
            con.register("_rows", text_rows(empty.rename_axis("row_number"), name))
            cast = dict(
                (column, kind)
                for column, kind, *_ in con.execute(
                    f"DESCRIBE SELECT {typed_columns(name)} FROM _rows"
                ).fetchall()
            )
            con.unregister("_rows")
            assert cast == {c: stored[c] for c in spec.columns}, name


def test_figures_are_exact_and_a_missing_value_is_null():
    # 18 significant digits: a binary float keeps about 16, and would end in …5680
    [row] = typed(
        "budget",
        [{"dept_code": "BJ-X", "executed": "12345678901234.5678", "other_budget": float("nan")}],
        [7],
    )
    assert row["row_number"] == 7 and row["dept_code"] == "BJ-X"
    assert row["executed"] == Decimal("12345678901234.5678")
    assert row["other_budget"] is None


def test_integers_and_booleans_are_typed_from_their_canonical_text():
    rows = typed(
        "checklist",
        [
            {"dept_code": "BJ-X", "line_code": "l1", "criterion_no": "3", "passed": "true"},
            {"dept_code": "BJ-X", "line_code": "l1", "criterion_no": "4", "passed": "false"},
        ],
        [2, 3],
    )
    assert [(r["criterion_no"], r["passed"]) for r in rows] == [(3, True), (4, False)]
