"""Every analyst view is what its model says: the YAML beside its SQL names the view's
columns in order with their types, and the tests it declares hold on the bundled years.
docs/warehouse.md's tables of views are written from the same YAML files."""

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from pipelines import whatif
from pipelines.annual import run_year
from pipelines.messages import languages
from pipelines.rankings.stability import rank_stability
from pipelines.rubric.library import RubricInUse
from pipelines.rubric.load import content_hash, load_variant
from pipelines.warehouse import models, views
from pipelines.warehouse.write import connect
from tests.conftest import RAW, ROOT, RUBRICS, once

MODELS = sorted(models.load())


def _every_view_with_rows(bundled: Path) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        path = folder / "w.duckdb"
        shutil.copy(bundled, path)
        rubric = load_variant("beijing/2023", RUBRICS)
        with connect(path) as con:
            whatif.run(con, 2024, RubricInUse(rubric, content_hash(rubric)), "s-1", scenario="s")
            for year in (2022, 2023, 2024):
                rank_stability(con, year, f"stability-{year}")
        # 2022 again with an amount corrected and a bad row: a second version of 2022
        # (history), a refused row, and 2023 stale (it compared with the first 2022)
        raw = shutil.copytree(RAW, folder / "raw", ignore=shutil.ignore_patterns("seed"))
        budget = raw / "2022" / "budget.csv"
        text = budget.read_text("utf-8")
        assert "\nSYN-002,1474.90,647.18,827.72,1391.99," in text
        budget.write_text(text.replace(",1391.99,", ",1291.99,", 1), "utf-8")
        with (raw / "2022" / "indicators.csv").open("a", encoding="utf-8") as f:
            f.write("SYN-003,output_99,output,坏行,quantitative,abc,5,1.00,positive,人次,,质量\n")
        run_year(raw, RUBRICS, path, 2022, run_id="corrected-2022")
        return path

    return build


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory, bundled_2022_2024):
    """Every bundled year scored, a what-if, rank stability, and a corrected 2022: every
    view has rows."""
    path = once(tmp_path_factory, "every-view", _every_view_with_rows(bundled_2022_2024))
    with duckdb.connect(str(path), read_only=True) as con:
        yield con


def test_every_view_has_a_model_and_every_model_a_view(warehouse):
    found = {
        v
        for (v,) in warehouse.execute(
            "SELECT view_name FROM duckdb_views() WHERE NOT internal"
        ).fetchall()
    }
    assert sorted(found - set(MODELS)) == [], "views without a YAML in pipelines/warehouse/models"
    assert sorted(set(MODELS) - found) == [], "models whose view the warehouse lacks"


@pytest.mark.parametrize("name", MODELS)
def test_the_model_lists_the_views_columns_in_order(warehouse, name):
    described = [(c, t) for c, t, *_ in warehouse.execute(f"DESCRIBE {name}").fetchall()]
    assert models.load()[name].column_types() == described


@pytest.mark.parametrize("name", MODELS)
def test_the_models_tests_hold(warehouse, name):
    (rows,) = warehouse.execute(f"SELECT count(*) FROM {name}").fetchone()
    assert rows > 0, "no rows: the tests would prove nothing"
    assert models.failures(warehouse, models.load()[name]) == []


def test_docs_tables_of_views_are_written_from_the_models():
    path = ROOT / "docs" / "warehouse.md"
    text = path.read_text("utf-8")
    assert models.sync_docs(text) == text, (
        "docs/warehouse.md is out of date: python -m pipelines.warehouse.models docs/warehouse.md"
    )


def test_docs_name_every_view_and_column():
    text = (ROOT / "docs" / "warehouse.md").read_text("utf-8")
    for model in models.load().values():
        assert f"### `{model.name}`" in text
        for name, _ in model.column_types():
            assert f"`{name}`" in text, (model.name, name)


# -- the machinery, on views made up here ------------------------------------------------


def test_views_are_created_after_the_views_they_read():
    queries = {
        "v_a": "SELECT * FROM v_b JOIN v_c USING (k)",
        "v_b": "SELECT * FROM v_c -- v_a is not read: a comment",
        "v_c": "SELECT 1 AS k",
        "v_ab": "SELECT * FROM t",  # v_a and v_b are not words of it
    }
    assert models.ordered(queries) == ["v_ab", "v_c", "v_b", "v_a"]
    order = [d.split()[4] for d in views.definitions()]
    assert order.index("v_current_versions") < order.index("v_line_score_history")
    assert order.index("v_department_scores") < order.index("v_rankings")


def test_a_cycle_is_refused():
    with pytest.raises(ValueError, match="cycle"):
        models.ordered({"v_a": "SELECT * FROM v_b", "v_b": "SELECT * FROM v_a"})


def test_a_failing_test_is_named_with_its_rows():
    model = models.Model(
        name="v_x",
        grain="x",
        description="",
        columns=(
            models.Column("k", "INTEGER", "", ("not_null", "unique")),
            models.Column("s", "VARCHAR", "", ({"accepted_values": ["a", "b"]},)),
        ),
        data_tests=({"unique": ["k", "s"]}, {"expression_is_true": "k > 0"}),
    )
    con = duckdb.connect()
    con.execute(
        "CREATE VIEW v_x AS SELECT * FROM (VALUES (1, 'a'), (1, 'a'), (NULL, 'c'), (-1, NULL))"
        " t(k, s)"
    )
    assert models.failures(con, model) == [
        "v_x: unique (k, s): 1 row(s)",
        "v_x: k > 0: 1 row(s)",  # NULL passes, as in dbt
        "v_x: k: not_null: 1 row(s)",
        "v_x: k: unique: 1 row(s)",
        "v_x: s: accepted_values: 1 row(s)",
    ]


def test_a_column_per_language():
    column = models.Column("explanation", "VARCHAR", "", per_language=True)
    assert column.names() == ["explanation"] + [f"explanation_{lang}" for lang in languages()[1:]]
    assert "explanation_en" in column.names()


HEAD = "name: v_x\ngrain: x\ndescription: d\n"


@pytest.mark.parametrize(
    ("file", "yaml_text", "says"),
    [
        ("v_y.yaml", HEAD + "columns: []\n", "v_y.yaml: name 'v_x' differs"),
        ("v_x.yaml", HEAD + "columns: []\nowner: me\n", "unknown keys"),
        ("v_x.yaml", HEAD + "columns:\n  - name: a\n", "columns[0].data_type: required"),
        (
            "v_x.yaml",
            HEAD + "columns:\n  - {name: a, data_type: INTEGER, description: a, "
            "data_tests: [positive]}\n",
            "'positive': one of",
        ),
        ("v_x.yaml", HEAD + "data_tests: [unique]\ncolumns: []\n", "'unique': one of"),
        ("v_x.yaml", HEAD + "columns: [\n", "v_x.yaml: while parsing"),
    ],
)
def test_a_model_that_does_not_say_what_it_must_is_refused(tmp_path, file, yaml_text, says):
    path = tmp_path / file
    path.write_text(yaml_text, "utf-8")
    path.with_suffix(".sql").write_text("SELECT 1", "utf-8")
    with pytest.raises(models.ModelError, match=re.escape(says)):
        models.read(path)


def test_a_model_has_its_sql_beside_it_or_names_who_creates_the_view(tmp_path):
    path = tmp_path / "v_x.yaml"
    path.write_text(HEAD + "columns: []\n", "utf-8")
    with pytest.raises(models.ModelError, match=r"either v_x\.sql beside it or created_by"):
        models.read(path)
    path.write_text(HEAD + "created_by: elsewhere.py\ncolumns: []\n", "utf-8")
    assert models.read(path).sql_path is None
