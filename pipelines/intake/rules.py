"""The rules of intake, loaded from ``figures.yaml`` and ``radicals.yaml`` beside this file."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

import yaml

HERE = Path(__file__).parent


@dataclass(frozen=True)
class Layout:
    page_lines: tuple[re.Pattern, ...]
    heading_marks: tuple[re.Pattern, ...]
    sentence_ends: str
    sentence_closers: str
    longest_quote: int


@dataclass(frozen=True)
class Rules:
    layout: Layout
    gap: str  # a regex
    year: re.Pattern
    total: tuple[str, ...]
    grade_phrases: tuple[str, ...]
    grade_words: dict[str, str]
    grade_quotes: str
    table_grades: str
    weight_mark: str  # a regex
    rates: dict[str, tuple[str, ...]]  # line_code → phrases
    units: dict[str, Decimal]  # unit → its value in 万元
    amounts: dict[str, tuple[str, ...]]  # measure → phrases


def _phrases(entries: list[dict]) -> tuple[str, ...]:
    return tuple(e["phrase"] for e in entries)


@cache
def rules() -> Rules:
    raw = yaml.safe_load((HERE / "figures.yaml").read_text("utf-8"))
    layout = raw["layout"]
    return Rules(
        layout=Layout(
            page_lines=tuple(re.compile(p) for p in layout["page_lines"]),
            heading_marks=tuple(re.compile(p) for p in layout["heading_marks"]),
            sentence_ends=layout["sentence_ends"],
            sentence_closers=layout["sentence_closers"],
            longest_quote=int(layout["longest_quote"]),
        ),
        gap=raw["gap"],
        year=re.compile(raw["year"]),
        total=_phrases(raw["total"]),
        grade_phrases=_phrases(raw["grade"]["phrases"]),
        grade_words=dict(raw["grade"]["words"]),
        grade_quotes=raw["grade"]["quotes"],
        table_grades=raw["table"]["grades"],
        weight_mark=raw["table"]["weight_mark"],
        rates={line: _phrases(entries) for line, entries in raw["rates"].items()},
        units={unit: Decimal(str(v)) for unit, v in raw["amounts"]["units"].items()},
        amounts={m: _phrases(entries) for m, entries in raw["amounts"]["measures"].items()},
    )


@cache
def radicals() -> dict[int, str]:
    """Code point of a CJK Radicals Supplement character → its unified ideograph."""
    raw = yaml.safe_load((HERE / "radicals.yaml").read_text("utf-8"))
    return {int(k[2:], 16): chr(int(v[2:], 16)) for k, v in raw.items()}
