"""Small helpers for what an operator reads in the Dagster UI: frames as metadata tables,
and sentences from the message catalog (``dagster.*`` in pipelines/messages).

Every word shown comes from the catalog, in the language of the process
(``JIXIAO_LANG``, default Chinese); identifiers (asset, check and column names in
code) stay English.
"""

from __future__ import annotations

from collections.abc import Iterable

import dagster as dg
import pandas as pd

from pipelines.messages import label, say


def described(key: str):
    """A class decorator: the class's description in the UI (Dagster reads a config
    class's or resource's ``__doc__``) is the catalog sentence ``key``."""

    def apply(cls):
        cls.__doc__ = say(key)
        return cls

    return apply


def joined(items: Iterable[object]) -> str:
    """Sentences (strings or ``Message``\\s) as one: ``；`` in Chinese, ``; `` in English."""
    return say("dagster.sep").join(map(str, items))


def header(column: object) -> str:
    """A table column as the UI shows it: ``dagster.column.*``, else ``column.*``, else as is."""
    name = str(column)
    shown = label("dagster.column", name)
    return shown if shown != name else label("column", name)


def markdown_table(frame: pd.DataFrame, limit: int = 20) -> dg.MarkdownMetadataValue:
    if frame.empty:
        return dg.MetadataValue.md(say("dagster.table.none"))
    shown = frame.head(limit).astype(object).where(frame.head(limit).notna(), "")
    head = "| " + " | ".join(_cell(header(c)) for c in shown.columns) + " |"
    rule = "|" + "---|" * len(shown.columns)
    rows = [
        "| " + " | ".join(_cell(v) for v in row) + " |" for row in shown.itertuples(index=False)
    ]
    more = [f"\n{say('dagster.table.more', n=len(frame) - limit)}"] if len(frame) > limit else []
    return dg.MetadataValue.md("\n".join([head, rule, *rows, *more]))


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def files_table(raw) -> pd.DataFrame:
    """One row per extract file of a RawYear: name, rows read (a bulk-lane file is
    counted when it is staged), encoding, error."""
    return pd.DataFrame(
        [
            (
                f.name,
                f.rows,
                say("dagster.table.bulk_lane", encoding=f.encoding) if f.bulk else f.encoding,
                f.error,
            )
            for f in raw.files.values()
        ],
        columns=["file", "rows", "encoding", "error"],
    )
