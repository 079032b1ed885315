"""Drafts of a department report's 五（二）存在的问题及原因分析 and 六、措施建议.

Each sentence comes from a rule kept as data, beside the rubrics and versioned the
same way: ``rubrics/drafts/<jurisdiction>/<year>.yaml`` (``extends`` as a rubric's,
``pipelines.rubric.load.resolve``). A rule is a condition over the warehouse (its
``kind``, implemented here generically, with its thresholds in the file) and the
catalog keys of its sentences (``draft.*``). Every sentence cites its evidence: the
figures of the warehouse it was drawn from, each with the view or table, the key and
the column it was read from.

The conditions are evaluated in SQL when the reports are built, one query per rule
for a chunk of departments (``query_chunk``, called by ``data.ChunkReader``), never
one per department; the sentences are rendered from the catalog in the current
language when the report is built (``render``), never stored.

Kinds:

* ``line_lost_points``: every scored line whose final score is below its weight by
  more than ``min_lost`` (and, with ``rule_kinds``, of those rubric rule kinds);
  the why is the line's own derivation (``v_line_scores.explanation``).
* ``qualitative_share_above``: the share of the department's declared indicators
  (``staged_indicators``) of kind qualitative is above ``max_share_pct``.
* ``rate_above_reference``: a rate of ``v_budget_rates`` is above its baseline by more
  than ``margin_pct`` points: the baseline a scored line compared it with
  (``line_scores.baseline_pct`` of ``baseline.line``: last year's rate, the municipal
  average…) or a fixed ``baseline.value_pct``.
* ``finding``: every finding (``findings``) with one of ``codes`` (and, with
  ``severities``, of those); ``cite`` names the parameters shown as its figures.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

import duckdb
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from pipelines import settings
from pipelines.messages import DEFAULT, catalog, label, say
from pipelines.reports import numbers
from pipelines.rubric.load import RubricError, resolve, validation_problem

FOLDER = "drafts"  # rubrics/drafts/<jurisdiction>/<year>.yaml
# the rates of v_budget_rates a rule may compare (each has its label, report.rate.*)
RATES = ("execution_rate", "carryover_rate", "budget_final_diff_rate")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Rule(_Strict):
    problem: str | None = None  # catalog key of the 存在的问题 sentence (one per item)
    suggestion: str | None = None  # catalog key of the 措施建议 sentence (one per rule)
    reference: str

    @model_validator(mode="after")
    def _says_something(self):
        if self.problem is None and self.suggestion is None:
            raise ValueError("a rule needs a problem or a suggestion message")
        return self


class LineLostPoints(_Rule):
    kind: Literal["line_lost_points"]
    min_lost: Decimal = Decimal(0)
    rule_kinds: list[str] | None = None
    except_lines: list[str] = []  # lines another rule speaks of (a rate and its baseline)


class QualitativeShareAbove(_Rule):
    kind: Literal["qualitative_share_above"]
    max_share_pct: Decimal
    min_declared: int = 1


class Baseline(_Strict):
    line: str | None = None  # the baseline_pct a scored line compared the rate with
    value_pct: Decimal | None = None

    @model_validator(mode="after")
    def _one(self):
        if (self.line is None) == (self.value_pct is None):
            raise ValueError("a baseline is either a line or a value_pct")
        return self


class RateAboveReference(_Rule):
    kind: Literal["rate_above_reference"]
    rate: Literal[RATES]
    baseline: Baseline
    margin_pct: Decimal = Decimal(0)


class FindingRule(_Rule):
    kind: Literal["finding"]
    codes: list[str] = Field(min_length=1)
    severities: list[str] | None = None
    cite: list[str] = []


Rule = Annotated[
    LineLostPoints | QualitativeShareAbove | RateAboveReference | FindingRule,
    Field(discriminator="kind"),
]


class DraftRules(_Strict):
    id: str
    extends: str | None = None
    jurisdiction: str
    year: int
    title: str
    source: str
    rules: dict[str, Rule]


@dataclass(frozen=True)
class RulesInUse:
    rules: DraftRules
    hash: str
    path: str  # as shown: rubrics/drafts/beijing/2023.yaml


def rules_path(rubrics_dir: Path | str, jurisdiction: str, year: int) -> Path:
    return Path(rubrics_dir) / FOLDER / jurisdiction / f"{int(year)}.yaml"


def load_rules(path: Path | str, rubrics_dir: Path | str | None = None) -> DraftRules:
    """Read and validate one rules file (``extends`` applied); ``RubricError`` lists
    every problem, and names a message key missing from the catalog."""
    path = Path(path)
    rubrics_dir = Path(rubrics_dir) if rubrics_dir else path.parent.parent.parent
    data = resolve(path, rubrics_dir, chain=())
    try:
        rules = DraftRules.model_validate(data)
    except ValidationError as exc:
        raise RubricError(path, [validation_problem(err) for err in exc.errors()]) from None
    keys = catalog(DEFAULT)
    missing = [
        (f"rules.{rid}.{part}", f"{key} is not in the message catalog")
        for rid, rule in rules.rules.items()
        for part, key in (("problem", rule.problem), ("suggestion", rule.suggestion))
        if key is not None and key not in keys
    ]
    if missing:
        raise RubricError(path, missing)
    return rules


def content_hash(rules: DraftRules) -> str:
    canonical = json.dumps(rules.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@cache
def rules_for(rubrics_dir: str, jurisdiction: str, year: int) -> RulesInUse | None:
    """The rules of a jurisdiction and year; None when there is no file (the report
    then says so). A file that cannot be used raises ``RubricError``."""
    path = rules_path(rubrics_dir, jurisdiction, year)
    if not path.is_file():
        return None
    rules = load_rules(path, rubrics_dir)
    if (rules.jurisdiction, rules.year) != (jurisdiction, int(year)):
        raise RubricError(path, [("id", f"{rules.id} is not for {jurisdiction} {year}")])
    shown = f"{Path(settings.RUBRICS_DIR).name}/{FOLDER}/{jurisdiction}/{int(year)}.yaml"
    return RulesInUse(rules, content_hash(rules), shown)


# --- the conditions, in SQL: one query per rule for a chunk of departments ----------

CHUNK = "list_contains(?, {a}dept_code) AND {a}dept_code BETWEEN ? AND ?"

SQL = {
    "line_lost_points": """
        SELECT dept_code, line_code, name, weight, final_score,
               weight - final_score AS lost
        FROM v_line_scores
        WHERE year = ? AND {chunk} AND weight <> 0 AND final_score IS NOT NULL
          AND weight - final_score > ? {kinds}
        ORDER BY dept_code, section_order, group_order, line_order, line_code""",
    "qualitative_share_above": """
        SELECT dept_code, count(*)::BIGINT AS declared,
               count_if(kind = 'qualitative')::BIGINT AS qualitative
        FROM staged_indicators
        WHERE year = ? AND {chunk}
        GROUP BY dept_code
        HAVING count(*) >= ? AND count_if(kind = 'qualitative') * 100 > ? * count(*)
        ORDER BY dept_code""",
    "rate_above_reference": """
        SELECT r.dept_code, r.{rate} AS rate, {baseline} AS baseline
        FROM v_budget_rates r {join}
        WHERE r.year = ? AND {chunk} AND r.{rate} IS NOT NULL AND {baseline} IS NOT NULL
          AND r.{rate} - {baseline} > ?
        ORDER BY r.dept_code""",
    "finding": """
        SELECT f.dept_code, f.code, f.line_code, f.severity, f.params, l.name AS line_name
        FROM findings f
        LEFT JOIN (SELECT DISTINCT dept_code, line_code, name FROM line_scores
                   WHERE year = ? AND {lchunk}) l USING (dept_code, line_code)
        WHERE f.year = ? AND {chunk} AND list_contains(CAST(? AS VARCHAR[]), f.code) {severities}
        ORDER BY f.dept_code, f.code, f.line_code NULLS FIRST, f.severity,
                 CAST(f.params AS VARCHAR)""",
}
LIST = "CAST(? AS VARCHAR[])"  # a list parameter, typed even when empty
BASELINE_LINE = """LEFT JOIN line_scores b
        ON b.year = r.year AND b.dept_code = r.dept_code AND b.line_code = ?"""


def _sql(rule) -> tuple[str, list]:
    """The rule's query and its parameters after the chunk's (``[year, codes, min, max]``
    stands for ``{chunk}``)."""
    if isinstance(rule, LineLostPoints):
        kinds = "" if rule.rule_kinds is None else f"AND list_contains({LIST}, rule_kind)"
        kinds += f" AND NOT list_contains({LIST}, line_code)"
        sql = SQL["line_lost_points"].format(chunk=CHUNK.format(a=""), kinds=kinds)
        extra = [rule.min_lost] + ([] if rule.rule_kinds is None else [rule.rule_kinds])
        extra.append(rule.except_lines)
        return sql, ["chunk", *extra]
    if isinstance(rule, QualitativeShareAbove):
        sql = SQL["qualitative_share_above"].format(chunk=CHUNK.format(a=""))
        return sql, ["chunk", rule.min_declared, rule.max_share_pct]
    if isinstance(rule, RateAboveReference):
        if rule.baseline.line is not None:
            baseline, join, head = "b.baseline_pct", BASELINE_LINE, [rule.baseline.line]
        else:  # a validated Decimal: digits, a sign and a point only
            baseline, join, head = f"CAST('{rule.baseline.value_pct}' AS DECIMAL(18,4))", "", []
        sql = SQL["rate_above_reference"].format(
            rate=rule.rate, baseline=baseline, join=join, chunk=CHUNK.format(a="r.")
        )
        return sql, [*head, "chunk", rule.margin_pct]
    severities = "" if rule.severities is None else f"AND list_contains({LIST}, f.severity)"
    sql = SQL["finding"].format(
        chunk=CHUNK.format(a="f."), lchunk=CHUNK.format(a=""), severities=severities
    )
    extra = [rule.codes] + ([] if rule.severities is None else [rule.severities])
    return sql, ["chunk", "chunk", *extra]


def _params(template: list, chunk: list) -> list:
    out = []
    for item in template:
        out += chunk if isinstance(item, str) and item == "chunk" else [item]
    return out


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
            sql, template = _sql(rule)
            cursor = con.execute(sql, _params(template, chunk))
            names = [d[0] for d in cursor.description]
            for row in cursor.fetchall():
                item = dict(zip(names, row, strict=True))
                found = out.rows.setdefault(str(item["dept_code"]), {})
                found.setdefault(rule_id, []).append(item)
    return out


# --- the sentences, rendered from the catalog -----------------------------------------


@dataclass(frozen=True)
class Evidence:
    """A figure a sentence cites: what it is (``label``, shown), its printed value, and
    where it is read (``source`` view or table, ``key`` as ``column=value;…``,
    ``column``), which a reader (and the tests) can look up in the warehouse."""

    label: str
    value: str
    source: str
    key: str
    column: str

    @property
    def shown(self) -> str:
        return say("draft.figure", label=self.label, value=self.value)


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


def _pct(value) -> str:
    return numbers.pct(value)


def _share(part: int, whole: int) -> Decimal:
    return (Decimal(part) * 100 / Decimal(whole)).quantize(numbers.CENT, rounding=ROUND_HALF_UP)


def _num(value) -> str:
    """A threshold as written: 50, 0.5."""
    d = numbers.dec(value)
    return numbers.MISSING if d is None else f"{d.normalize():f}"


def _evidence(key: str, value: str, source: str, where: str, column: str, **params) -> Evidence:
    return Evidence(say(f"draft.evidence.{key}", **params), value, source, where, column)


def _item(rule, row: Mapping, dept: str, year: int, why: Mapping[str, str]) -> tuple[dict, list]:
    """The sentence parameters of one evidence row, and its figures."""
    where = f"year={year};dept_code={dept}"
    if isinstance(rule, LineLostPoints):
        code = str(row["line_code"])
        at = f"{where};line_code={code}"
        name = row.get("name") or code
        params = {
            "item": name, "line_code": code, "weight": numbers.score(row["weight"]),
            "score": numbers.score(row["final_score"]), "lost": numbers.score(row["lost"]),
            "why": why.get(code) or "",
        }  # fmt: skip
        figures = [
            _evidence("weight", params["weight"], "v_line_scores", at, "weight", name=name),
            _evidence("score", params["score"], "v_line_scores", at, "final_score", name=name),
        ]
        return params, figures
    if isinstance(rule, QualitativeShareAbove):
        declared, qualitative = int(row["declared"]), int(row["qualitative"])
        params = {
            "declared": declared, "qualitative": qualitative,
            "share": _pct(_share(qualitative, declared)), "max_share": _num(rule.max_share_pct),
        }  # fmt: skip
        figures = [
            _evidence("declared", str(declared), "staged_indicators", where, "count(*)"),
            _evidence(
                "qualitative", str(qualitative), "staged_indicators",
                f"{where};kind=qualitative", "count(*)",
            ),
        ]  # fmt: skip
        return params, figures
    if isinstance(rule, RateAboveReference):
        rate, baseline = numbers.dec(row["rate"]), numbers.dec(row["baseline"])
        params = {
            "item": label("report.rate", rule.rate), "rate": _pct(rate),
            "baseline": _pct(baseline), "excess": numbers.score(rate - baseline),
        }  # fmt: skip
        figures = [
            _evidence(
                "rate", params["rate"], "v_budget_rates", where, rule.rate, item=params["item"]
            )
        ]
        if rule.baseline.line is not None:
            at = f"{where};line_code={rule.baseline.line}"
            figures.append(
                _evidence(
                    "baseline", params["baseline"], "line_scores", at, "baseline_pct",
                    line_code=rule.baseline.line,
                )
            )  # fmt: skip
        return params, figures
    values = {str(k): v for k, v in dict(row.get("params") or {}).items()}
    code, line = str(row["code"]), row.get("line_code")
    at = f"{where};code={code}" + ("" if line is None else f";line_code={line}")
    params = {
        **values, "code": code, "line_code": line or "",
        "item": row.get("line_name") or values.get("line_name") or values.get("section_name")
        or line or code,
    }  # fmt: skip
    figures = [
        _evidence("finding", str(values[name]), "findings", at, f"params.{name}", code=code,
                  param=label("draft.param", name))
        for name in rule.cite
        if values.get(name) is not None
    ]  # fmt: skip
    return params, figures


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
    problems: list[Sentence] = []
    suggestions: list[Sentence] = []
    for rule_id, rule in in_use.rules.rules.items():
        items = [_item(rule, r, dept_code, year, explanations) for r in rows.get(rule_id, [])]
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
