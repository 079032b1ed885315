"""The raw-extract contract, loaded from ``extracts.yaml`` beside this file."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

FISCAL_YEAR_LABELS = ("year", "年度", "年份", "预算年度")
TYPES = {
    "code",
    "text",
    "amount",
    "percent",
    "number",
    "integer",
    "bool",
    "choice",
    "grade_or_number",
    "date",
}


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    type: str
    required: bool = False
    positive: bool = False
    labels: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    aliases: dict[str, str] = field(default_factory=dict)
    default: str | None = None


@dataclass(frozen=True)
class ExtractSpec:
    name: str
    required: bool
    key: tuple[str, ...]
    columns: dict[str, ColumnSpec]
    on_refusal: str = "quarantine"  # or fail_year
    max_executed_multiple: int | None = None

    def header_map(self) -> dict[str, str]:
        """Every accepted header (identifier or Chinese label), normalised → identifier."""
        out: dict[str, str] = {}
        for col in self.columns.values():
            for label in (col.name, *col.labels):
                out[header_key(label)] = col.name
        return out


def header_key(header: object) -> str:
    """Headers compare after NFKC (full-width → ASCII), trimming and lower-casing."""
    return unicodedata.normalize("NFKC", str(header)).strip().lower()


@cache
def extract_specs() -> dict[str, ExtractSpec]:
    raw = yaml.safe_load((Path(__file__).with_name("extracts.yaml")).read_text("utf-8"))
    specs = {}
    for name, body in raw.items():
        cols = {}
        for col_name, c in body["columns"].items():
            if c["type"] not in TYPES:
                raise ValueError(f"extracts.yaml: {name}.{col_name}: unknown type {c['type']!r}")
            cols[col_name] = ColumnSpec(
                name=col_name,
                type=c["type"],
                required=c.get("required", False),
                positive=c.get("positive", False),
                labels=tuple(c.get("labels", ())),
                choices=tuple(c.get("choices", ())),
                aliases=dict(c.get("aliases", {})),
                default=c.get("default"),
            )
        # Any extract may say which fiscal year it belongs to; staging checks it.
        cols["fiscal_year"] = ColumnSpec("fiscal_year", "integer", labels=FISCAL_YEAR_LABELS)
        specs[name] = ExtractSpec(
            name,
            body["required"],
            tuple(body["key"]),
            cols,
            body.get("on_refusal", "quarantine"),
            body.get("max_executed_multiple"),
        )
    return specs
