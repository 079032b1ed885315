"""The benchmark's reference: the rubric scored row by row, as a careful analyst would.

A plain Python loop over the raw rows with ``decimal.Decimal`` arithmetic, rounded
四舍五入 (ROUND_HALF_UP): no pandas, no numpy, no SQL for the scoring. It gives the
same department totals and grades as the pipeline (tests/benchmarks checks that), so
the benchmark compares like with like. It trusts its input: the pipeline's staging
checks (refused rows, incomplete departments) are not repeated here; the rows a
generated year spoils on purpose are named to it (``--leave-out``).

    python -m benchmarks.row_by_row --raw-dir raw --years 2022 2023 2024 --out /tmp/ref.duckdb
"""

from __future__ import annotations

import argparse
import csv
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb

from pipelines.rubric.library import RubricLibrary
from pipelines.rubric.model import Rubric

_TRUE = {"true", "t", "yes", "y", "1", "是"}
_FALSE = {"false", "f", "no", "n", "0", "否"}


@dataclass
class Year:
    """One year's raw rows, parsed, keyed the way the scoring loop looks them up."""

    year: int
    jurisdiction: dict[str, str]  # dept_code → jurisdiction, in file order
    budget: dict[str, dict[str, Decimal | None]]  # dept_code → column → amount or rate
    indicators: dict[str, list[dict]]  # dept_code → its declared lines
    checklist: dict[tuple[str, str], list[bool]]  # (dept_code, line_code) → passed, per row
    overrides: dict[tuple[str, str], Decimal]  # (dept_code, line_code) → approved score


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _num(value: object) -> Decimal | None:
    # Rows copied from published tables write 19,347.12 and 6.81%.
    text = _text(value).replace(",", "").removesuffix("%")
    return Decimal(text) if text else None


def _bool(value: object) -> bool:
    text = _text(value).lower()
    if text in _TRUE or text in _FALSE:
        return text in _TRUE
    raise ValueError(f"not a yes/no value: {value!r}")


def _rows(year_dir: Path, name: str, required: bool = True) -> Iterator[dict]:
    """The rows of one extract as dicts of raw cells, from its .csv or .parquet file."""
    if (year_dir / f"{name}.csv").exists():
        with (year_dir / f"{name}.csv").open(encoding="utf-8-sig", newline="") as f:
            yield from csv.DictReader(f)
    elif (year_dir / f"{name}.parquet").exists():
        path = str(year_dir / f"{name}.parquet")
        with duckdb.connect() as con:  # only a row source: the loop still goes row by row
            cur = con.execute("SELECT * FROM read_parquet(?)", [path])
            names = [d[0] for d in cur.description]
            yield from (dict(zip(names, row, strict=True)) for row in cur.fetchall())
    elif required:
        raise FileNotFoundError(f"{year_dir}: no {name}.csv or {name}.parquet")


def left_out(path: Path | None) -> dict[int, dict[str, set[str]]]:
    """year → dept_code → the extracts of its rows the generator spoiled on purpose
    (``pipelines.samples --realism``: ``spoiled.csv``), which the pipeline refuses."""
    out: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    if path is not None:
        with Path(path).open(encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                out[int(r["year"])][r["dept_code"]].add(r["extract"])
    return out


def read_year(raw_dir: Path, year: int, skip: dict[str, set[str]] | None = None) -> Year:
    """``skip``: dept_code → extracts spoiled on purpose (``left_out``). Those departments
    are not scored, as the pipeline does not score them; their rows are not read, but for
    a budget row that is not spoiled (the pipeline keeps it as next year's last year)."""
    skip = skip or {}
    year_dir = Path(raw_dir) / str(year)
    depts = {
        _text(r["dept_code"]): _text(r["jurisdiction"])
        for r in _rows(year_dir, "departments")
        if _text(r["dept_code"]) not in skip
    }
    budget = {
        _text(r["dept_code"]): {k: _num(v) for k, v in r.items() if k != "dept_code"}
        for r in _rows(year_dir, "budget")
        if "budget" not in skip.get(_text(r["dept_code"]), ())
    }
    indicators: dict[str, list[dict]] = defaultdict(list)
    for r in _rows(year_dir, "indicators"):
        if _text(r["dept_code"]) in skip:
            continue
        line = {k: _text(r.get(k)) for k in ("line_code", "group", "kind", "target", "actual")}
        line["direction"] = _text(r.get("direction")) or "positive"  # the contract's default
        line["weight"], line["assessed_score"] = _num(r["weight"]), _num(r.get("assessed_score"))
        indicators[_text(r["dept_code"])].append(line)
    checklist: dict[tuple[str, str], list[bool]] = defaultdict(list)
    for r in _rows(year_dir, "checklist"):
        if _text(r["dept_code"]) in skip:
            continue
        checklist[_text(r["dept_code"]), _text(r["line_code"])].append(_bool(r["passed"]))
    overrides = {
        (_text(r["dept_code"]), _text(r["line_code"])): _num(r["score"])
        for r in _rows(year_dir, "overrides", required=False)
    }
    return Year(year, depts, budget, dict(indicators), dict(checklist), overrides)


def _round(value: Decimal, places: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _pct(numerator: Decimal, denominator: Decimal, places: int) -> Decimal:
    # A rate is rounded before it is used (docs/decisions.md#numbers), not only when printed.
    return _round(numerator * 100 / denominator, places)


def _supported(rubric: Rubric) -> Rubric:
    """The rubric, if it uses only what this reference implements; else NotImplementedError."""
    rules = rubric.indicator_rules
    unsupported = [f"total_caps {rubric.total_caps}"] if rubric.total_caps else []
    for s_code, section in rubric.sections.items():
        nodes = [(s_code, section), *section.groups.items()]
        unsupported += [
            f"{c}: aggregation {n.aggregation}" for c, n in nodes if n.aggregation != "sum"
        ]
    for placed in rubric.fixed_lines():
        rule = placed.line.rule
        if rule.kind not in ("ratio", "checklist", "step_deduction"):
            unsupported.append(f"{placed.code}: rule kind {rule.kind}")
        elif rule.kind == "step_deduction" and rule.proportional:
            unsupported.append(f"{placed.code}: step_deduction proportional")
    if rules and rules.quantitative.kind != "indicator_ratio":
        unsupported.append(f"indicator_rules.quantitative kind {rules.quantitative.kind}")
    if rules and rules.outcomes:  # re-weighting groups is not implemented here
        unsupported.append(f"indicator_rules.outcomes {sorted(rules.outcomes)}")
    if unsupported:
        raise NotImplementedError(f"{rubric.id}: " + "; ".join(unsupported))
    return rubric


def _rate(rate_rule, budget: dict, places: int) -> Decimal:
    if rate_rule.kind == "share":
        return _pct(budget[rate_rule.numerator], budget[rate_rule.denominator], places)
    change = budget[rate_rule.value] - budget[rate_rule.base]
    return _pct(abs(change) if rate_rule.absolute else change, budget[rate_rule.base], places)


def _step_deduction(rule, weight, budget, last_year: dict | None, places: int) -> Decimal:
    rate = _rate(rule.rate, budget, places)
    if rule.baseline.kind == "reference":
        baseline = rule.baseline.value_pct
    elif last_year is not None:  # last year's own amounts beat the extract's claimed rate
        baseline = _rate(rule.rate, last_year, places)
    else:
        baseline = budget.get(rule.baseline.fallback_column)
    if baseline is None:  # nothing to compare with: full weight, never a silent 0
        return weight
    excess = rate - baseline
    steps = excess // rule.step_pct if excess > 0 else 0  # the edge itself counts as a step
    return max(weight - steps * rule.deduct_per_step, Decimal(0))


def _quantitative(rule, line: dict, places: int) -> Decimal:
    target, actual, weight = _num(line["target"]), _num(line["actual"]), line["weight"]
    if {"positive": False, "reverse": True}[line["direction"]]:
        rate = rule.reverse_zero_actual_pct if actual == 0 else _pct(target, actual, places)
        return min(rate, rule.cap_pct) * weight / 100
    score = min(_pct(actual, target, places), rule.cap_pct) * weight / 100
    # Over-achievement is compared exactly (unrounded); the highest band reached counts.
    deduct_pct = Decimal(0)
    for band in sorted(rule.over_achievement, key=lambda b: b.min_over_pct):
        if (actual - target) * 100 >= band.min_over_pct * target:
            deduct_pct = band.deduct_pct_of_weight
    return max(score - weight * deduct_pct / 100, Decimal(0))


def _qualitative(rule, line: dict) -> Decimal:
    shortfall = max(rule.grades.index(line["actual"]) - rule.grades.index(line["target"]), 0)
    band = rule.bands_by_shortfall[min(shortfall, len(rule.bands_by_shortfall) - 1)]
    # The assessor's score counts even outside its band (the pipeline only warns).
    if line["assessed_score"] is not None:
        return line["assessed_score"]
    return line["weight"] * band.default_share_pct / 100


def _line_scores(rubric: Rubric, dept: str, year: Year, prior: Year | None):
    """(line_code, computed score) for every line of one department."""
    places = rubric.numbers.rate_places
    budget = year.budget[dept]
    for placed in rubric.fixed_lines():
        rule, weight = placed.line.rule, placed.line.weight
        if rule.kind == "ratio":
            rate = _pct(budget[rule.numerator], budget[rule.denominator], places)
            yield placed.code, min(rate, rule.cap_pct) * weight / 100
        elif rule.kind == "checklist":
            failed = year.checklist[dept, placed.code].count(False)
            yield placed.code, max(weight - failed * rule.deduct_per_failure, Decimal(0))
        else:
            last_year = prior.budget.get(dept) if prior is not None else None
            yield placed.code, _step_deduction(rule, weight, budget, last_year, places)
    declared, rules = rubric.declared_groups(), rubric.indicator_rules
    for line in year.indicators.get(dept, []):
        code, kind = line["line_code"], line["kind"]
        if line["group"] not in declared or kind not in ("quantitative", "qualitative"):
            raise ValueError(f"{dept} {code}: a {kind!r} line in group {line['group']!r}")
        if kind == "quantitative":
            yield code, _quantitative(rules.quantitative, line, places)
        else:
            yield code, _qualitative(rules.qualitative, line)


def score_year(
    year: Year, rubric_for: Callable[[str], Rubric], prior: Year | None = None
) -> dict[str, tuple[Decimal, str]]:
    """dept_code → (total, grade). Departments without a budget row are not scored."""
    rubrics: dict[str, Rubric] = {}  # jurisdiction → its rubric, checked once
    out = {}
    for dept, jurisdiction in year.jurisdiction.items():
        if dept not in year.budget:
            continue
        if jurisdiction not in rubrics:
            rubrics[jurisdiction] = _supported(rubric_for(jurisdiction))
        rubric = rubrics[jurisdiction]
        places = rubric.numbers.score_places
        total = Decimal(0)
        for code, computed in _line_scores(rubric, dept, year, prior):
            # An approved override replaces the line's score; both are rounded alike.
            total += _round(year.overrides.get((dept, code), computed), places)
        # bands fall from the best grade; the first one reached is the grade (half-open)
        grade = next(b.grade for b in rubric.grades.bands if total >= b.min_total)
        out[dept] = (total, grade)
    return out


def run(
    raw_dir: Path, years: list[int], rubrics_dir: Path, out: Path, leave_out: Path | None = None
) -> dict[str, float]:
    """Read, score and write ``years`` (in order, each with the year before when it is
    among them); the scores go to a CSV beside ``out``, then into DuckDB file ``out``.
    ``leave_out``: the generator's ``spoiled.csv`` (``left_out``)."""
    library = RubricLibrary(rubrics_dir)
    skipped = left_out(leave_out)
    seconds = {"read": 0.0, "score": 0.0, "write": 0.0}
    rows, previous = [], None
    for y in sorted(years):
        start = time.perf_counter()
        year = read_year(Path(raw_dir), y, skipped.get(y))
        read = time.perf_counter()
        prior = previous if previous is not None and previous.year == y - 1 else None
        scores = score_year(year, lambda j, y=y: library.get(j, y).rubric, prior)
        seconds["read"] += read - start
        seconds["score"] += time.perf_counter() - read
        rows += [(y, dept, total, grade) for dept, (total, grade) in scores.items()]
        previous = year
    start = time.perf_counter()
    csv_path = Path(out).with_suffix(".csv")
    csv_path.parent.mkdir(parents=True, exist_ok=True)
    with csv_path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([("year", "dept_code", "total_score", "grade"), *rows])
    with duckdb.connect(str(out)) as con:  # the reference's "warehouse"
        con.execute(
            "CREATE OR REPLACE TABLE department_scores AS SELECT * FROM read_csv(?, header = true,"
            " columns = {'year': 'INTEGER', 'dept_code': 'VARCHAR',"
            " 'total_score': 'DECIMAL(18,2)', 'grade': 'VARCHAR'})",
            [str(csv_path)],
        )
    seconds["write"] = time.perf_counter() - start
    return seconds


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.row_by_row",
        description="The performance benchmark's reference: score raw extracts with a plain "
        "row-by-row Decimal loop (no pandas, no SQL), write the department totals and grades "
        "to a CSV and a DuckDB file, and print the seconds each stage took.",
    )
    parser.add_argument("--raw-dir", type=Path, required=True, help="folder of <year>/ extracts")
    parser.add_argument("--years", type=int, nargs="+", required=True, metavar="YEAR")
    parser.add_argument("--rubrics-dir", type=Path, default=Path("rubrics"))
    parser.add_argument("--out", type=Path, required=True, help="DuckDB file to write")
    parser.add_argument("--json", action="store_true", help="one JSON line, for the benchmark")
    parser.add_argument(
        "--leave-out",
        type=Path,
        metavar="CSV",
        help="rows spoiled on purpose, not scored (pipelines.samples --realism: spoiled.csv)",
    )
    args = parser.parse_args(argv)
    seconds = run(args.raw_dir, args.years, args.rubrics_dir, args.out, args.leave_out)
    if args.json:
        from benchmarks.child import report

        report(seconds=seconds)
        return
    for stage, value in seconds.items():
        print(f"{stage:>5}: {value:8.3f} s")


if __name__ == "__main__":
    main()
