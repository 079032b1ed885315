"""DuckDB statements that take no prepared parameters: ``ATTACH`` and ``COPY … TO`` name
their file in the SQL text itself (DuckDB 1.5 refuses ``?`` there)."""

from __future__ import annotations

from pathlib import Path


def text(value: str | Path) -> str:
    """A SQL string literal of ``value``, quotes doubled."""
    return "'" + str(value).replace("'", "''") + "'"


def attach(path: str | Path, alias: str, options: str = "") -> str:
    """``ATTACH 'path' AS alias (options)``; ``alias`` and ``options`` are the caller's
    own identifiers and keywords, never data."""
    return f"ATTACH {text(path)} AS {alias}" + (f" ({options})" if options else "")
