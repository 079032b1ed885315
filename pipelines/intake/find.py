"""Finding the figures a report states: every mention, then one figure per target.

A mention is a place in the text where a phrase of ``figures.yaml`` (or a section's or
line's name) is followed by its figure. A target (the total, a line's score, an
amount…) may be mentioned several times: the narrative and the 评分表 both give the
execution rate. The figure is the first mention that reads as one number, phrases
before table rows, in the order of ``figures.yaml``; mentions that disagree with it and
mentions that are not one number are kept beside it, for the user to see.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from pipelines.intake.flatten import Flat
from pipelines.intake.numbers import PRINTED, is_percent, read_number
from pipelines.intake.rules import Rules

TOTAL = "TOTAL"
KINDS = ("total", "grade", "section", "line", "rate", "amount")  # the order figures are listed


@dataclass(frozen=True, order=True)
class Target:
    """What a figure is: ``kind`` (one of ``KINDS``) and ``key`` (TOTAL, a section or line
    code, a measure)."""

    kind: str
    key: str


@dataclass(frozen=True)
class Mention:
    target: Target
    printed: str  # the figure as printed (a number, a percentage, a grade word)
    value: Decimal | str | None  # an amount in 万元, a number, a grade; None: not one number
    quote: str  # the sentence it stands in
    rank: tuple[int, int, int]  # (phrases 0 / table rows 1, rule order, position)
    unit: str = ""


@dataclass
class Figure:
    target: Target
    chosen: Mention | None
    unreadable: list[Mention] = field(default_factory=list)
    conflicting: list[Mention] = field(default_factory=list)


@dataclass(frozen=True)
class Names:
    """The names the report's tables print: the rubric's sections and lines (its own
    lines, and the department's declared indicators)."""

    sections: dict[str, str]
    lines: dict[str, str]


def _name_pattern(name: str) -> str:
    # a space may survive between a Chinese character and a Latin one or a digit
    return " ?".join(re.escape(ch) for ch in "".join(name.split()))


def _occurrences(
    text: str, phrases: dict[Target, tuple[str, ...]]
) -> list[tuple[int, int, Target, int]]:
    """(start, end, target, phrase order) of every phrase; one inside a longer phrase of
    another target is not counted (财政拨款结转结余 in 非财政拨款结转结余)."""
    found = []
    for target, words in phrases.items():
        for order, word in enumerate(words):
            for m in re.finditer(_name_pattern(word), text):
                found.append((m.start(), m.end(), target, order))
    return [
        f
        for f in found
        if not any(
            o[2] != f[2] and o[0] <= f[0] and f[1] <= o[1] and (o[1] - o[0]) > (f[1] - f[0])
            for o in found
        )
    ]


class Finder:
    def __init__(self, flat: Flat, rules: Rules, names: Names) -> None:
        self.flat, self.rules, self.names = flat, rules, names
        self.grade = f"[{re.escape(rules.table_grades)}]"

    def mentions(self) -> list[Mention]:
        return [
            *self._after_phrases("total", {TOTAL: self.rules.total}, self._total),
            *self._after_phrases("grade", {TOTAL: self.rules.grade_phrases}, self._grade),
            *self._sections(),
            *self._lines(),
            *self._after_phrases("rate", self.rules.rates, self._rate),
            *self._after_phrases("amount", self.rules.amounts, self._amount),
        ]

    def _mention(self, target, printed, value, start, end, rank, unit="") -> Mention:
        # a table row has no sentence: its quote is the row, from the name to the score
        quote = self.flat.text[start:end].strip() if rank[0] else self.flat.quote(start, end)
        return Mention(target, printed, value, quote, rank, unit)

    def _after_phrases(self, kind: str, phrases: dict[str, tuple[str, ...]], read) -> list:
        targets = {Target(kind, key): words for key, words in phrases.items()}
        out = []
        for start, end, target, order in _occurrences(self.flat.text, targets):
            m = read(end)
            if m is not None:
                printed, value, stop, *unit = m
                rank = (0, order, start)
                out.append(self._mention(target, printed, value, start, stop, rank, *unit))
        return out

    def _at(self, pattern: str, pos: int) -> re.Match | None:
        return re.compile(pattern).match(self.flat.text, pos)

    def _total(self, pos: int):
        m = self._at(rf"{self.rules.gap}(?P<n>{PRINTED}(?: {PRINTED})*)", pos)
        if m is None:
            return None
        last = _cells(m["n"])[-1]
        return None if is_percent(last) else (last, read_number(last), m.end())

    def _grade(self, pos: int):
        quotes = re.escape(self.rules.grade_quotes)
        words = "|".join(
            re.escape(w) for w in sorted(self.rules.grade_words, key=len, reverse=True)
        )
        m = self._at(rf"{self.rules.gap}[{quotes}]?(?P<w>{words})[{quotes}]?", pos)
        if m is None:
            return None
        return m["w"], self.rules.grade_words[m["w"]], m.end()

    def _rate(self, pos: int):
        m = self._at(rf"{self.rules.gap}(?P<n>{PRINTED})", pos)
        if m is None or not is_percent(m["n"]):
            return None
        return m["n"], read_number(m["n"]), m.end()

    def _amount(self, pos: int):
        units = "|".join(re.escape(u) for u in sorted(self.rules.units, key=len, reverse=True))
        m = self._at(rf"{self.rules.gap}(?P<n>{PRINTED}) ?(?P<u>{units})", pos)
        if m is None or is_percent(m["n"]):
            return None
        number = read_number(m["n"])
        value = None if number is None else number * self.rules.units[m["u"]]
        return m["n"], value, m.end(), m["u"]

    def _sections(self) -> list[Mention]:
        """结论一览表 rows: a section's name, its weight, its score."""
        out = []
        for order, (code, name) in enumerate(self.names.sections.items()):
            pattern = re.compile(rf"{_name_pattern(name)} ?(?P<n>{PRINTED}(?: {PRINTED})+)")
            for m in pattern.finditer(self.flat.text):
                last = _cells(m["n"])[-1]
                if is_percent(last):
                    continue
                rank = (1, order, m.start())
                out.append(
                    self._mention(
                        Target("section", code), last, read_number(last), m.start(), m.end(), rank
                    )
                )
        return out

    def _lines(self) -> list[Mention]:
        """评分表 rows: a line's name, its weight in brackets maybe, then grades and numbers
        (at least two cells); the score is the last number, the rate the last percentage."""
        out = []
        weight = self.rules.weight_mark
        for order, (code, name) in enumerate(self.names.lines.items()):
            pattern = re.compile(
                rf"{_name_pattern(name)}(?:{weight})? ?"
                rf"(?P<g>(?:{self.grade} ?)*)(?P<n>{PRINTED}(?: {PRINTED})*)"
            )
            for m in pattern.finditer(self.flat.text):
                grades = re.findall(self.grade, m["g"])
                cells = _cells(m["n"])
                if len(grades) + len(cells) < 2:
                    continue  # a heading followed by a year (（四）结转结余率 2023 年…)
                rank = (1, order, m.start())
                if not is_percent(cells[-1]):
                    target = Target("line", code)
                    printed = cells[-1]
                    value = read_number(printed)
                    out.append(self._mention(target, printed, value, m.start(), m.end(), rank))
                rates = [c for c in cells if is_percent(c)]
                if rates and code in self.rules.rates:
                    value = read_number(rates[-1])
                    target = Target("rate", code)
                    out.append(self._mention(target, rates[-1], value, m.start(), m.end(), rank))
        return out


def _cells(numbers: str) -> list[str]:
    return re.findall(PRINTED, numbers)


def figures(mentions: list[Mention]) -> dict[Target, Figure]:
    """One figure per target: its first readable mention by rank, and the others that are
    not one number or that disagree with it."""
    by_target: dict[Target, list[Mention]] = {}
    for m in sorted(mentions, key=lambda m: m.rank):
        by_target.setdefault(m.target, []).append(m)
    out = {}
    # in the order the report states them, kind by kind
    for target in sorted(by_target, key=lambda t: (KINDS.index(t.kind), _first(by_target[t]))):
        found = by_target[target]
        readable = [m for m in found if m.value is not None]
        chosen = readable[0] if readable else None
        figure = Figure(target, chosen)
        figure.unreadable = [m for m in found if m.value is None]
        seen = set()
        for m in readable[1:]:
            if m.value != chosen.value and (m.printed, m.quote) not in seen:
                seen.add((m.printed, m.quote))
                figure.conflicting.append(m)
        out[target] = figure
    return out


def _first(mentions: list[Mention]) -> int:
    readable = [m.rank[2] for m in mentions if m.value is not None]
    return min(readable or [m.rank[2] for m in mentions])
