"""The catalog in the warehouse: templates as a table, filled in views when read.

``install(con)`` writes every language's templates into ``messages`` and defines the
macros the views use; a published snapshot so carries the catalog of the run that
wrote it, and renders on its own in any DuckDB client. The tables keep facts (codes
and typed values); ``rendered(...)`` gives the view columns that turn them into
sentences: ``explanation`` in Chinese, ``explanation_en`` in English, and one more
column per language the catalog gains.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from pipelines.messages import DEFAULT, catalog, languages

MACROS = """
-- a template filled from a MAP of parameters in one pass ({name}, or {name|area}: the
-- label <area>.<value> from the same language's templates); as pipelines.messages.fill
CREATE OR REPLACE MACRO msg_fill(template, params, tpl) AS array_to_string(list_transform(
    string_split(template, '{'),
    lambda piece, i: CASE WHEN i = 1 THEN piece ELSE
        (CASE WHEN split_part(split_part(piece, '}', 1), '|', 2) = ''
              THEN coalesce(map_extract_value(params, split_part(piece, '}', 1)), '')
              ELSE coalesce(
                  map_extract_value(tpl, split_part(split_part(piece, '}', 1), '|', 2) || '.'
                      || map_extract_value(params, split_part(split_part(piece, '}', 1), '|', 1))),
                  map_extract_value(params, split_part(split_part(piece, '}', 1), '|', 1)), '')
         END) || substr(piece, strpos(piece, '}') + 1) END), '');
-- the sentence of several templates in a row (keys: a list), each filled from params
-- (a key missing from the catalog shows as ‹key›, and a test looks for it)
CREATE OR REPLACE MACRO msg_say(tpl, keys, params) AS array_to_string(list_transform(keys,
    lambda k: coalesce(msg_fill(map_extract_value(tpl, k), params, tpl), '‹' || k || '›')), '');
-- numbers as a sentence shows them (exact: decimal text, never binary floats)
-- a parameter or weight without trailing zeros (20, 7.5, 0.4, 28.3)
CREATE OR REPLACE MACRO msg_num(x) AS
    rtrim(rtrim(CAST(CAST(x AS DECIMAL(18,4)) AS VARCHAR), '0'), '.');
-- an amount with at least 2 places (18214.74, 8782.50)
CREATE OR REPLACE MACRO msg_amount(x) AS CASE
    WHEN suffix(CAST(CAST(x AS DECIMAL(18,4)) AS VARCHAR), '00')
    THEN left(CAST(CAST(x AS DECIMAL(18,4)) AS VARCHAR),
              length(CAST(CAST(x AS DECIMAL(18,4)) AS VARCHAR)) - 2)
    WHEN suffix(CAST(CAST(x AS DECIMAL(18,4)) AS VARCHAR), '0')
    THEN left(CAST(CAST(x AS DECIMAL(18,4)) AS VARCHAR),
              length(CAST(CAST(x AS DECIMAL(18,4)) AS VARCHAR)) - 1)
    ELSE CAST(CAST(x AS DECIMAL(18,4)) AS VARCHAR) END;
-- a value with exactly `places` decimals (0–4), e.g. a rate at the rubric's places
CREATE OR REPLACE MACRO msg_fixed(x, places) AS CASE WHEN places = 0
    THEN split_part(CAST(CAST(x AS DECIMAL(18,4)) AS VARCHAR), '.', 1)
    ELSE left(CAST(CAST(x AS DECIMAL(18,4)) AS VARCHAR),
              length(CAST(CAST(x AS DECIMAL(18,4)) AS VARCHAR)) - (4 - places)) END;
-- a score: two places
CREATE OR REPLACE MACRO msg_score(x) AS CAST(CAST(x AS DECIMAL(18,2)) AS VARCHAR);
"""


def install(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)write the catalog into ``messages`` and define the rendering macros."""
    con.execute(MACROS)
    con.execute("""CREATE TABLE IF NOT EXISTS messages (
        lang VARCHAR NOT NULL, key VARCHAR NOT NULL, template VARCHAR NOT NULL,
        PRIMARY KEY (lang, key))""")
    rows = pa.table(
        {
            "lang": [lang for lang in languages() for _ in catalog(lang)],
            "key": [k for lang in languages() for k in sorted(catalog(lang))],
            "template": [catalog(lang)[k] for lang in languages() for k in sorted(catalog(lang))],
        }
    )
    con.execute("DELETE FROM messages")
    con.register("_catalog", rows)
    try:
        con.execute("INSERT INTO messages SELECT lang, key, template FROM _catalog")
    finally:
        con.unregister("_catalog")
    con.execute("""CREATE OR REPLACE VIEW message_templates AS
        SELECT lang, map_from_entries(list((key, template) ORDER BY key)) AS tpl
        FROM messages GROUP BY lang""")


def suffix(lang: str) -> str:
    return "" if lang == DEFAULT else f"_{lang}"


def template_joins() -> str:
    """The CROSS JOINs that bring each language's templates (``tpl_<lang>.tpl``)."""
    return " ".join(
        f"CROSS JOIN (SELECT tpl FROM message_templates WHERE lang = '{lang}') tpl_{lang}"
        for lang in languages()
    )


def rendered(column: str, keys: str, params: str) -> str:
    """Select items: ``column`` in the default language, ``column_<lang>`` in the others.

    ``keys`` is SQL of a VARCHAR list of template keys, ``params`` SQL of a MAP.
    """
    return ", ".join(
        f"msg_say(tpl_{lang}.tpl, {keys}, {params}) AS {column}{suffix(lang)}"
        for lang in languages()
    )
