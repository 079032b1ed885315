"""The drafts' conditions, evaluated in SQL when the reports are built: one query per
rule for a chunk of departments (called by ``data.ChunkReader``), never one per
department."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from pipelines import settings
from pipelines.reports.drafts.common import parameters
from pipelines.reports.drafts.kinds import kind_module
from pipelines.reports.drafts.rules import RulesInUse, rules_for


@dataclass
class ChunkDrafts:
    """A chunk's evidence rows: (jurisdiction) → the rules in use and, per department,
    rule id → rows (dicts of plain Python values, decimals exact)."""

    rules: dict[str, RulesInUse | None] = field(default_factory=dict)
    rows: dict[str, dict[str, list[dict]]] = field(default_factory=dict)


def query_chunk(
    con: duckdb.DuckDBPyConnection,
    year: int,
    infos: list[Mapping],
    rubrics_dir: Path | str | None = None,
) -> ChunkDrafts:
    """Evaluate every rule of the chunk's jurisdictions, one query per rule for the
    chunk's departments of that jurisdiction."""
    rubrics_dir = str(rubrics_dir or settings.RUBRICS_DIR)
    by_place: dict[str, list[str]] = {}
    for info in infos:
        by_place.setdefault(str(info.get("jurisdiction") or ""), []).append(str(info["dept_code"]))
    out = ChunkDrafts()
    for place, codes in sorted(by_place.items()):
        in_use = rules_for(rubrics_dir, place, int(year))
        out.rules[place] = in_use
        if in_use is None:
            continue
        chunk = [int(year), sorted(codes), min(codes), max(codes)]
        for rule_id, rule in in_use.rules.rules.items():
            sql, template = kind_module(rule.kind).query(rule)
            cursor = con.execute(sql, parameters(template, chunk))
            names = [d[0] for d in cursor.description]
            for row in cursor.fetchall():
                item = dict(zip(names, row, strict=True))
                found = out.rows.setdefault(str(item["dept_code"]), {})
                found.setdefault(rule_id, []).append(item)
    return out
