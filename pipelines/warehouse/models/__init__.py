"""The analyst views as models: a SQL file and a YAML beside it, one pair per view.

``<view>.sql`` is the view's query. ``<view>.yaml`` states what one row is (``grain``),
each column in order (its DuckDB type, its meaning, its tests) and the tests over the
rows, as dbt's jaffle-shop does for ``orders``::

    name: v_department_scores
    grain: year × department
    description: The score, grade and rank of each scored department.
    data_tests:
      - unique: [year, dept_code]        # the grain: no two rows share these
      - expression_is_true: rank BETWEEN 1 AND rank_out_of
    columns:
      - name: year
        data_type: INTEGER
        description: The fiscal year.
        data_tests: [not_null]

Column tests: ``not_null``, ``unique``, ``accepted_values: [...]``. View tests:
``unique: [columns]``, and ``expression_is_true: <SQL>`` (a row where it is NULL passes,
as in dbt). A column with ``per_language: true`` is one column per catalog language in
the catalog's order: ``explanation`` (Chinese), ``explanation_en``, … A view that
another module creates beside its own table names that module in ``created_by`` and
has no SQL file here.

The SQL files are Jinja templates: the views that speak take their per-language
columns from ``pipelines.warehouse.views``, which renders them. Views are created in
the order their queries name one another. ``python -m pipelines.warehouse.models
docs/warehouse.md`` writes the views' tables of that file from the YAML files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from graphlib import TopologicalSorter
from pathlib import Path

import duckdb
import yaml

from pipelines.messages import languages
from pipelines.messages.sql import suffix

HERE = Path(__file__).parent

_MODEL_KEYS = {"name", "grain", "description", "data_tests", "columns", "created_by"}
_COLUMN_KEYS = {"name", "data_type", "description", "data_tests", "per_language"}
_COLUMN_TESTS = {"not_null", "unique", "accepted_values"}
_VIEW_TESTS = {"unique", "expression_is_true"}


class ModelError(ValueError):
    """A model's YAML that does not say what it must (names the file and the key)."""


@dataclass(frozen=True)
class Column:
    name: str
    data_type: str
    description: str
    data_tests: tuple = ()
    per_language: bool = False

    def names(self) -> list[str]:
        """The view's columns this entry stands for (one per language, if per_language)."""
        if not self.per_language:
            return [self.name]
        return [self.name + suffix(lang) for lang in languages()]


@dataclass(frozen=True)
class Model:
    name: str
    grain: str
    description: str
    columns: tuple[Column, ...]
    data_tests: tuple = ()
    created_by: str | None = None

    @property
    def sql_path(self) -> Path | None:
        return None if self.created_by else HERE / f"{self.name}.sql"

    def column_types(self) -> list[tuple[str, str]]:
        """(name, type) of every column of the view, in order."""
        return [(n, c.data_type) for c in self.columns for n in c.names()]


@cache
def load() -> dict[str, Model]:
    """Every model of this folder, by view name."""
    return {m.name: m for m in map(read, sorted(HERE.glob("*.yaml")))}


def read(path: Path) -> Model:
    where = path.name
    try:
        spec = yaml.safe_load(path.read_text("utf-8"))
    except yaml.YAMLError as exc:
        raise ModelError(f"{where}: {exc}") from exc

    def need(mapping: dict, key: str, kind: type, at: str):
        if not isinstance(mapping.get(key), kind):
            raise ModelError(f"{where}: {at}{key}: required, a {kind.__name__}")
        return mapping[key]

    if not isinstance(spec, dict):
        raise ModelError(f"{where}: a mapping with name, grain, description and columns")
    if unknown := set(spec) - _MODEL_KEYS:
        raise ModelError(f"{where}: unknown keys {sorted(unknown)}")
    name = need(spec, "name", str, "")
    if name != path.stem:
        raise ModelError(f"{where}: name {name!r} differs from the file's name")
    sql = path.with_suffix(".sql")
    if bool(spec.get("created_by")) == sql.exists():
        raise ModelError(f"{where}: either {sql.name} beside it or created_by, not both")
    columns = []
    for i, col in enumerate(need(spec, "columns", list, "")):
        at = f"columns[{i}]."
        if not isinstance(col, dict):
            raise ModelError(f"{where}: {at[:-1]}: a mapping with name, data_type, description")
        if unknown := set(col) - _COLUMN_KEYS:
            raise ModelError(f"{where}: {at[:-1]}: unknown keys {sorted(unknown)}")
        tests = tuple(col.get("data_tests") or ())
        _check_tests(tests, _COLUMN_TESTS, f"{where}: {at}data_tests")
        columns.append(
            Column(
                name=need(col, "name", str, at),
                data_type=need(col, "data_type", str, at),
                description=need(col, "description", str, at).strip(),
                data_tests=tests,
                per_language=bool(col.get("per_language", False)),
            )
        )
    tests = tuple(spec.get("data_tests") or ())
    _check_tests(tests, _VIEW_TESTS, f"{where}: data_tests", bare=False)
    return Model(
        name=name,
        grain=need(spec, "grain", str, ""),
        description=need(spec, "description", str, "").strip(),
        columns=tuple(columns),
        data_tests=tests,
        created_by=spec.get("created_by"),
    )


def _check_tests(tests: tuple, known: set[str], where: str, bare: bool = True) -> None:
    """Each test is a known name, or a mapping of one known name to its argument
    (``bare``: whether a name alone is allowed)."""
    for test in tests:
        if isinstance(test, str) and bare:
            kind = test
        elif isinstance(test, dict) and len(test) == 1:
            kind = next(iter(test))
        else:
            kind = None
        if kind not in known:
            raise ModelError(f"{where}: {test!r}: one of {sorted(known)}")


# -- SQL -------------------------------------------------------------------------------


def _references(query: str, names: set[str]) -> set[str]:
    code = re.sub(r"--[^\n]*", "", query)
    return {n for n in names if re.search(rf"\b{re.escape(n)}\b", code)}


def ordered(queries: dict[str, str]) -> list[str]:
    """The views of ``queries`` (name → query), each after the views its query reads;
    ties in name order, so the order is the same on every run."""
    graph = TopologicalSorter()
    for name in sorted(queries):
        graph.add(name, *sorted(_references(queries[name], set(queries) - {name})))
    graph.prepare()
    out: list[str] = []
    while graph.is_active():
        ready = sorted(graph.get_ready())
        out += ready
        graph.done(*ready)
    return out


# -- tests -----------------------------------------------------------------------------


def _literal(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def checks(model: Model) -> list[tuple[str, str, str]]:
    """Each declared test as (what is tested, "row", a condition every failing row
    meets) or (what is tested, "query", a query counting the duplicated keys).

    A grain's NULL is a value (two rows with the same NULL key are a duplicate, as in
    dbt's unique_combination_of_columns); a unique column's NULLs are not compared (as
    dbt's unique)."""
    view = _ident(model.name)
    out = []
    for test in model.data_tests:
        ((kind, arg),) = test.items()
        if kind == "unique":
            cols = ", ".join(map(_ident, arg))
            query = f"SELECT {cols} FROM {view} GROUP BY ALL HAVING count(*) > 1"
            out.append((f"unique ({', '.join(arg)})", "query", f"SELECT count(*) FROM ({query})"))
        else:
            out.append((arg, "row", f"NOT ({arg})"))
    for col in model.columns:
        for name in col.names():
            c = _ident(name)
            for test in col.data_tests:
                kind = test if isinstance(test, str) else next(iter(test))
                if kind == "not_null":
                    out.append((f"{name}: {kind}", "row", f"{c} IS NULL"))
                elif kind == "unique":
                    query = (
                        f"SELECT {c} FROM {view} WHERE {c} IS NOT NULL "
                        "GROUP BY ALL HAVING count(*) > 1"
                    )
                    out.append((f"{name}: {kind}", "query", f"SELECT count(*) FROM ({query})"))
                else:
                    values = ", ".join(map(_literal, test[kind]))
                    out.append((f"{name}: {kind}", "row", f"{c} NOT IN ({values})"))
    return out


def failures(con: duckdb.DuckDBPyConnection, model: Model) -> list[str]:
    """The model's tests that fail on ``con``'s rows, each with how many rows fail it.

    The row tests share one pass over the view: a view that renders sentences renders
    them once, not once per test."""
    found = checks(model)
    conditions = [sql for _, kind, sql in found if kind == "row"]
    counted = ", ".join(f"count(*) FILTER (WHERE {c})" for c in conditions)
    counts = iter(
        con.execute(f"SELECT {counted} FROM {_ident(model.name)}").fetchone() if conditions else ()
    )
    out = []
    for what, kind, sql in found:
        n = next(counts) if kind == "row" else con.execute(sql).fetchone()[0]
        if n:
            out.append(f"{model.name}: {what}: {n} row(s)")
    return out


# -- docs ------------------------------------------------------------------------------


def _test_text(test) -> str:
    if isinstance(test, str):
        return test.replace("_", " ")
    ((kind, arg),) = test.items()
    if kind == "accepted_values":
        return "one of " + ", ".join(f"`{v}`" for v in arg)
    if kind == "unique":
        return "unique (" + ", ".join(arg) + ")"
    return f"`{arg}`"


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def views_table(models: dict[str, Model]) -> str:
    """The table of every view: what a row is and its columns."""
    rows = ["| view | one row per | columns |", "|---|---|---|"]
    for m in models.values():
        names = ", ".join(n for c in m.columns for n in c.names())
        rows.append(f"| `{m.name}` | {_cell(m.grain)} | {names} |")
    return "\n".join(rows)


def columns_reference(models: dict[str, Model]) -> str:
    """Each view: its grain, meaning, where it is defined, its tests, and each column."""
    out = []
    for m in models.values():
        where = m.created_by or f"pipelines/warehouse/models/{m.name}.sql"
        out += [
            f"### `{m.name}`",
            "",
            f"One row per {m.grain}. {_cell(m.description)}",
            "",
            f"Defined in `{where}`, described in `pipelines/warehouse/models/{m.name}.yaml`."
            + (
                " Tested: " + "; ".join(map(_test_text, m.data_tests)) + "." if m.data_tests else ""
            ),
            "",
            "| column | type | meaning | tested |",
            "|---|---|---|---|",
        ]
        for c in m.columns:
            name = ", ".join(f"`{n}`" for n in c.names())
            tests = "; ".join(map(_test_text, c.data_tests))
            out.append(f"| {name} | {c.data_type} | {_cell(c.description)} | {tests} |")
        out.append("")
    return "\n".join(out).rstrip("\n")


GENERATED = {"views": views_table, "columns": columns_reference}


def _block(name: str) -> re.Pattern:
    return re.compile(
        rf"(<!-- BEGIN generated: {name} .*?-->\n)(.*?)(<!-- END generated: {name} -->)",
        re.DOTALL,
    )


def sync_docs(text: str, models: dict[str, Model] | None = None) -> str:
    """``text`` with each generated block (``<!-- BEGIN generated: NAME … -->`` to
    ``<!-- END generated: NAME -->``) written anew from the models."""
    models = load() if models is None else models
    for name, make in GENERATED.items():
        block = _block(name)
        if not block.search(text):
            raise ModelError(f"no block <!-- BEGIN generated: {name} … --> to write")
        body = make(models)
        text = block.sub(lambda m, body=body: f"{m[1]}\n{body}\n\n{m[3]}", text)
    return text
