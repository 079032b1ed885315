"""The figures of a report as the department's ``self_reported`` rows (the contract's
columns, as text), and the figures that cannot become a row, with the reason.

- TOTAL: the total score, the grade as reported_value;
- SECTION:<section>: a section's score (``SECTION_PREFIX``, as reconciliation reads it);
- a line: its score, its rate (94.15%) as reported_value for the lines that have one;
- an amount: line_code and measure the budget column, reported_score the amount in 万元,
  reported_value as printed.

A row needs a score (reported_score is required): a grade without a total, or a rate
whose line score the report does not print, is listed as not written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipelines.intake.find import TOTAL, Figure, Mention, Target
from pipelines.quality.reconcile import SECTION_PREFIX


@dataclass(frozen=True)
class Unwritten:
    figure: Figure
    reason: str  # intake.unwritten.<reason>


def _source(document: Path, mentions: list[Mention]) -> str:
    quotes: list[str] = []
    for m in mentions:
        if m.quote not in quotes:
            quotes.append(m.quote)
    return f"{document.name}：" + " / ".join(quotes)


def self_reported_rows(
    dept: str, document: Path, figures: dict[Target, Figure]
) -> tuple[list[dict[str, str]], list[Unwritten]]:
    """(rows, figures not written). Rows are ordered: total, sections, lines, amounts."""
    rows: list[dict[str, str]] = []
    unwritten: list[Unwritten] = []

    def row(line_code: str, score: Mention, value: str = "", measure: str = "", also=()):
        rows.append(
            {
                "dept_code": dept,
                "line_code": line_code,
                "reported_score": format(score.value, "f"),
                "reported_value": value,
                "source": _source(document, [score, *also]),
                "measure": measure,
            }
        )

    def chosen(kind: str, key: str) -> Mention | None:
        figure = figures.get(Target(kind, key))
        return figure.chosen if figure else None

    total, grade = chosen("total", TOTAL), chosen("grade", TOTAL)
    if total is not None:
        row(TOTAL, total, grade.value if grade else "", also=[grade] if grade else [])
    elif grade is not None:
        unwritten.append(Unwritten(figures[Target("grade", TOTAL)], "grade_without_total"))

    for target, figure in figures.items():
        if figure.chosen is None:
            continue
        if target.kind == "section":
            row(f"{SECTION_PREFIX}{target.key}", figure.chosen)
        elif target.kind == "line":
            rate = chosen("rate", target.key)
            if rate is not None:
                row(target.key, figure.chosen, rate.printed, also=[rate])
            else:
                garbled = _unreadable_rate(figures, target.key)
                if garbled is None:
                    row(target.key, figure.chosen)
                else:
                    row(target.key, figure.chosen, garbled.printed, also=[garbled])
        elif target.kind == "rate" and chosen("line", target.key) is None:
            unwritten.append(Unwritten(figure, "rate_without_score"))
        elif target.kind == "amount":
            m = figure.chosen
            row(target.key, m, f"{m.printed}{m.unit}", measure=target.key)
    return rows, unwritten


def _unreadable_rate(figures: dict[Target, Figure], line: str) -> Mention | None:
    """A rate printed only as something that is not one number: written as printed, so
    reconciliation reports it (reported_value_unreadable) rather than it vanishing."""
    figure = figures.get(Target("rate", line))
    if figure is None or figure.chosen is not None or not figure.unreadable:
        return None
    return figure.unreadable[0]
