"""The drafts' sentences, rendered from the catalog in the current language when the
report is built, never stored."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from pipelines.messages import say
from pipelines.reports.drafts.common import Evidence, Place
from pipelines.reports.drafts.kinds import kind_module
from pipelines.reports.drafts.query import ChunkDrafts
from pipelines.reports.drafts.rules import FOLDER


@dataclass(frozen=True)
class Sentence:
    rule: str
    text: str
    evidence: list[Evidence]


@dataclass(frozen=True)
class Drafts:
    """A department's drafts. ``rules_id`` is None when its jurisdiction and year have
    no rules file (the report says so); empty ``problems``/``suggestions`` mean the
    rules found nothing to say (the report says that too)."""

    rules_id: str | None
    rules_hash: str
    rules_path: str
    problems: list[Sentence]
    suggestions: list[Sentence]

    @property
    def rules_name(self) -> str:
        """The rules as the report names them: ``beijing/2023`` (their file is
        ``rubrics/drafts/beijing/2023.yaml``)."""
        return (self.rules_id or "").removeprefix(f"{FOLDER}/")


def render(
    drafts: ChunkDrafts | None,
    dept_code: str,
    jurisdiction: str,
    year: int,
    explanations: Mapping[str, str],
) -> Drafts:
    """A department's drafts in the current language; ``explanations``: line code →
    its derivation (the why of a line that lost points)."""
    in_use = None if drafts is None else drafts.rules.get(jurisdiction)
    if in_use is None:
        return Drafts(None, "", "", [], [])
    rows = drafts.rows.get(dept_code, {})
    at = Place(dept_code, year, explanations)
    problems: list[Sentence] = []
    suggestions: list[Sentence] = []
    for rule_id, rule in in_use.rules.rules.items():
        kind = kind_module(rule.kind)
        items = [kind.item(rule, row, at) for row in rows.get(rule_id, [])]
        items = [(p, f) for p, f in items if f]  # no sentence without evidence
        if not items:
            continue
        if rule.problem:
            problems += [Sentence(rule_id, say(rule.problem, **p), f) for p, f in items]
        if rule.suggestion:
            names = [str(p["item"]) for p, _ in items if p.get("item")]
            params = {
                **items[0][0],
                "count": len(items),
                "items": say("report.list.enum").join(dict.fromkeys(names)),
            }
            figures = [e for _, f in items for e in f]
            suggestions.append(Sentence(rule_id, say(rule.suggestion, **params), figures))
    return Drafts(in_use.rules.id, in_use.hash[:12], in_use.path, problems, suggestions)
