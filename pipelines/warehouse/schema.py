"""Warehouse tables and the analyst views of contract.md.

Staged tables are generated from the extract contract (one column per contract
column, typed once); scored tables and their migrations are in schema.sql. Views are
what analysts query: each a model of pipelines/warehouse/models/ (its SQL, and a YAML
of its grain, columns and tests), created by ``views.create`` after the tables.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb

from pipelines.ingest.casts import SQL_TYPES
from pipelines.ingest.spec import extract_specs
from pipelines.messages import catalog, languages
from pipelines.messages import sql as messages
from pipelines.scoring import facts, rates
from pipelines.warehouse import views


def staged_table(extract: str) -> str:
    return f"staged_{extract}"


def staged_ddl() -> str:
    out = []
    for name, spec in extract_specs().items():
        cols = ",\n    ".join(
            f'"{c.name}" {SQL_TYPES.get(c.type, "VARCHAR")}' for c in spec.columns.values()
        )
        out.append(
            f"CREATE TABLE IF NOT EXISTS {staged_table(name)} (\n    year INTEGER NOT NULL,\n"
            f"    row_number INTEGER,\n    {cols});"
        )
    return "\n".join(out)


def staged_migrations() -> str:
    """Columns added to the contract after a warehouse file was created: added here."""
    return "\n".join(
        f'ALTER TABLE {staged_table(name)} ADD COLUMN IF NOT EXISTS "{c.name}" '
        f"{SQL_TYPES.get(c.type, 'VARCHAR')};"
        for name, spec in extract_specs().items()
        for c in spec.columns.values()
    )


def line_ddl() -> str:
    """line_scores and scenario_line_scores: the scored line's facts (pipelines.scoring.facts);
    a warehouse file from before a fact existed gains its column here."""
    out = [
        f"CREATE TABLE IF NOT EXISTS line_scores (\n    year INTEGER NOT NULL,\n"
        f"    {facts.columns_ddl()},\n    run_id VARCHAR);",
        f"CREATE TABLE IF NOT EXISTS scenario_line_scores (\n    scenario VARCHAR NOT NULL,\n"
        f"    year INTEGER NOT NULL,\n    {facts.columns_ddl()},\n    run_id VARCHAR);",
        # the lines of every earlier version of a year's scores (warehouse/history.py)
        f"CREATE TABLE IF NOT EXISTS line_score_history (\n    year INTEGER NOT NULL,\n"
        f"    {facts.columns_ddl()},\n    run_id VARCHAR NOT NULL);",
    ]
    out += [
        "CREATE TABLE IF NOT EXISTS rubric_rule_constants (rubric_hash VARCHAR NOT NULL, "
        f"rule_key VARCHAR NOT NULL, {facts.columns_ddl(facts.RULE_CONSTANTS)}, "
        "PRIMARY KEY (rubric_hash, rule_key));",
        "CREATE TABLE IF NOT EXISTS rubric_grade_shares (rubric_hash VARCHAR NOT NULL, "
        f"{facts.columns_ddl(facts.GRADE_SHARES)}, PRIMARY KEY (rubric_hash, shortfall));",
    ]
    for table, columns in (
        ("rubric_rule_constants", facts.RULE_CONSTANTS),
        ("rubric_grade_shares", facts.GRADE_SHARES),
    ):
        out += [f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {c} {t};" for c, t in columns]
    for table in ("line_scores", "scenario_line_scores"):
        out += [
            f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {c} {t};" for c, t in facts.LINE_COLUMNS
        ]
        out.append(f"ALTER TABLE {table} DROP COLUMN IF EXISTS explanation;")
    return "\n".join(out)


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Tables, macros, the message catalog and the views; skipped when the file already
    has exactly these (every write calls it, and the views take a second to bind)."""
    parts = [
        staged_ddl(),
        staged_migrations(),
        rates.table_ddl(temp=False),
        line_ddl(),
        Path(__file__).with_name("schema.sql").read_text("utf-8"),
        messages.MACROS,
        repr(sorted((lang, sorted(catalog(lang).items())) for lang in languages())),
        *views.definitions(),
    ]
    fingerprint = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    con.execute("CREATE TABLE IF NOT EXISTS schema_fingerprint (fingerprint VARCHAR)")
    if con.execute("SELECT fingerprint FROM schema_fingerprint").fetchall() == [(fingerprint,)]:
        return
    for ddl in parts[:5]:
        con.execute(ddl)
    messages.install(con)
    views.create(con)
    con.execute("DELETE FROM schema_fingerprint")
    con.execute("INSERT INTO schema_fingerprint VALUES (?)", [fingerprint])
