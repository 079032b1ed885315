"""The message catalog: every language has every key, Python and SQL fill a template
alike, and every sentence the warehouse renders for the bundled years reads as Chinese
(and as English in the _en columns), with no template missing."""

from __future__ import annotations

import re

import duckdb
import pytest

from pipelines.messages import DEFAULT, Message, catalog, fill, languages, say, use
from pipelines.messages import sql as messages_sql

PLACEHOLDER = re.compile(r"\{([^{}|]*)(?:\|([^{}]*))?\}")
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_chinese_is_the_default_and_english_is_there():
    assert languages()[0] == DEFAULT == "zh"
    assert "en" in languages()


@pytest.mark.parametrize("lang", languages())
def test_every_language_has_every_key(lang):
    assert sorted(catalog(lang)) == sorted(catalog(DEFAULT))


def test_a_label_placeholder_names_an_area_of_the_catalog():
    areas = {key.split(".")[0] for key in catalog(DEFAULT)}
    for lang in languages():
        for key, text in catalog(lang).items():
            for _, area in PLACEHOLDER.findall(text):
                assert not area or area.split(".")[0] in areas, (lang, key, area)


@pytest.fixture(scope="module")
def con():
    con = duckdb.connect(":memory:")
    messages_sql.install(con)
    return con


@pytest.mark.parametrize("lang", languages())
def test_python_and_sql_fill_every_template_alike(con, lang):
    """Each template filled with made-up values (a label placeholder gets a value that
    has a label, e.g. executed → 执行数) in SQL (msg_fill) and in Python (fill)."""
    label = {"column": "executed", "outcome": "not_applicable", "effect": "zero"}
    cases = []
    for key, text in sorted(catalog(lang).items()):
        params = {
            n: label.get(a, f"<{n}>") if a else f"<{n}>" for n, a in PLACEHOLDER.findall(text)
        }
        cases.append((key, text, params))
    rows = con.execute(
        "SELECT msg_fill(c.template, map(c.names, c.vals), t.tpl) FROM (SELECT unnest(?) AS "
        "template, unnest(?) AS names, unnest(?) AS vals, generate_subscripts(?, 1) AS i) c, "
        "message_templates t WHERE t.lang = ? ORDER BY c.i",
        [
            [t for _, t, _ in cases],
            [list(p) or ["unused"] for *_, p in cases],
            [list(p.values()) or ["-"] for *_, p in cases],
            [t for _, t, _ in cases],
            lang,
        ],
    ).fetchall()
    for (key, text, params), (in_sql,) in zip(cases, rows, strict=True):
        assert in_sql == fill(text, params, lang), key


def test_a_sentence_inside_a_sentence_speaks_the_same_language():
    inner = Message("column.executed")
    assert say("line.capped", lang="en", cap=inner) == ", capped at executed%"
    assert "执行数" in say("line.capped", lang="zh", cap=inner)
    with use("en"):
        assert str(Message("column.executed")) == "executed"


@pytest.fixture(scope="module")
def bundled(bundled_2022_2024):
    """raw/2022–2024 (the seed department and 40 synthetic ones a year) scored."""
    with duckdb.connect(str(bundled_2022_2024), read_only=True) as con:
        yield con


@pytest.mark.parametrize(
    ("view", "column"),
    [("v_line_scores", "explanation"), ("v_findings", "message"), ("v_rejected_rows", "reason")],
)
def test_every_row_of_the_bundled_years_renders_in_chinese_and_english(bundled, view, column):
    rows = bundled.execute(f"SELECT {column}, {column}_en FROM {view}").fetchall()
    if view != "v_rejected_rows":  # the bundled years refuse no row; tests/ingest does
        assert len(rows) > 100 if view == "v_line_scores" else rows
    for zh, en in rows:
        assert CJK.search(zh) and "‹" not in zh and "{" not in zh, zh
        assert en and "‹" not in en and "{" not in en, en  # (data may be Chinese: 优, names)


def test_the_cells_of_the_table_render_in_both_languages(bundled):
    (missing,) = bundled.execute(
        "SELECT count(*) FROM v_line_scores WHERE actual IS NULL OR actual_en IS NULL "
        "OR target LIKE '%‹%' OR target_en LIKE '%‹%'"
    ).fetchone()
    assert missing == 0
