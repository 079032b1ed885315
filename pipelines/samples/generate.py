"""Deterministic synthetic raw extracts for testing and demonstrating the pipeline.

``generate(out_dir, years, departments, rubric_for, seed)`` writes
``out_dir/<year>/{departments,budget,indicators,checklist}.csv`` (and
``self_reported.csv``) in the raw-extract contract's format, identifier headers,
UTF-8, plus ``out_dir/README.md``. Everything rubric-shaped (declared groups and
their weights, grades and their bands, over-achievement edges, checklist lines and
their criterion counts, the jurisdiction) comes from ``rubric_for(year)``.

Determinism: the departments (codes, names, categories, sizes, profiles) come from
``numpy.random.default_rng(seed)``; each year's figures from
``default_rng([seed, year])``. The same arguments give byte-identical files.

Departments ``SYN-001`` … ``SYN-<n>`` ("示例部门001（合成数据）" …) keep their code,
name and category in every year. Amounts are built as integers in 分 and written with
2 decimals, so basic + project = full-year budget and basic_executed +
project_executed = executed exactly. ``prior_carryover_rate`` / ``prior_diff_rate``
are the department's own rates of the previous generated year when it was present,
else drawn near this year's rates.

Edge cases, always the same departments:

- ``SYN-001`` scores 差: execution 45–55% of budget, quantitative lines at 30–50%
  of target, every qualitative line graded the rubric's worst grade against the best
  target with no assessed score, and every checklist criterion failed except no. 1.
  The generator does not score: the grade follows from this construction (under the
  Beijing 2023 rubric it cannot exceed about 51 points) and tests/samples checks it.
- ``SYN-002`` and ``SYN-003`` are twins: every input row of ``SYN-003`` (category,
  budget, indicators, checklist) is a copy of ``SYN-002``'s, in every year, so their
  totals tie and they share a rank (1, 2, 2, 4).
- ``SYN-004`` is absent from one year: the middle year with 3 or more years (the
  later of two with 2 years, never with 1).
- A few other departments publish ``self_reported`` figures: the ratio line as the
  rules give it, and the checklist lines claimed in full even where criteria failed
  (a discrepancy for a reviewer to catch).

With ``include_seed_department`` the real department(s) of ``raw/seed/2023`` (BJ-FAO,
transcribed from a published report) are copied into 2023 with their values exactly
as written there (thousands separators, "6.81%", 是 — all allowed by the contract, so
those columns mix two spellings in 2023); their other years are not published, so they
appear in 2023 only.
``departments`` counts the synthetic departments only.

Without ``realism`` the synthetic years are clean: a handful of findings, no refused
row (the bundled ``raw/`` is generated so). With it, about a third of the departments
other than the edge cases get a finding and about 0.1% of rows are spoiled to be
refused, as in real years (``pipelines.samples.realism``); the benchmarks use it.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from pipelines.ingest.spec import extract_specs
from pipelines.rubric import Rubric
from pipelines.samples.budget import budget_year
from pipelines.samples.indicators import checklist_year, indicators_year
from pipelines.samples.output import (
    FORMATS,
    clear_extracts,
    seed_tables,
    self_reported_year,
    write_extract,
)
from pipelines.samples.realism import add_realism
from pipelines.samples.roster import Roster, copy_twin, make_roster

ROOT = Path(__file__).resolve().parents[2]
SEED_RAW_DIR = ROOT / "raw" / "seed"
SEED_YEAR = 2023
# The rows ``realism`` spoiled on purpose, beside the year folders (which the pipeline reads).
SPOILED = "spoiled.csv"
# The realism draws come from a stream of their own: the clean tables stay the same.
REALISM_STREAM = 1


def generate(
    out_dir: Path,
    years: list[int],
    departments: int,
    rubric_for: Callable[[int], Rubric],
    seed: int = 2023,
    include_seed_department: bool = True,
    fmt: str = "csv",
    *,
    lines: int | None = None,
    seed_raw_dir: Path | None = None,
    command: str | None = None,
    realism: bool = False,
) -> dict:
    """Write the synthetic years; return a summary (departments per year, edge cases).

    ``rubric_for(year)`` is called for every year before anything is written, so a
    missing rubric fails without leaving a half-written folder. ``command`` is the
    command line recorded in the README (default: the equivalent CLI call).
    ``realism`` spoils the synthetic departments' rows as real years are spoiled
    (``pipelines.samples.realism``) and lists the rows meant to be refused in
    ``out_dir/SPOILED``.
    """
    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {', '.join(FORMATS)}, not {fmt!r}")
    years = sorted(set(years))
    if not years:
        raise ValueError("no years to generate")
    rubrics = {year: rubric_for(year) for year in years}
    roster = make_roster(np.random.default_rng(seed), departments, years)
    out_dir = Path(out_dir)
    seed_dir = Path(seed_raw_dir or SEED_RAW_DIR) / str(SEED_YEAR)
    summary: dict = {
        "years": years,
        "departments": {},
        "files": {},
        "tie": list(roster.tie),
        "poor": roster.poor,
        "missing": (
            {"dept_code": roster.missing[0], "year": roster.missing[1]} if roster.missing else None
        ),
        "self_reported": list(roster.self_reporting),
        "seed_departments": [],
        "spoiled": {} if realism else None,
    }
    prior = None
    spoiled = []
    for year in years:
        rubric = rubrics[year]
        tables, prior = _year_tables(
            np.random.default_rng([seed, year]), roster, year, rubric, prior, lines
        )
        if realism:
            rng = np.random.default_rng([seed, year, REALISM_STREAM])
            spoiled.append(add_realism(rng, tables, roster, year, rubric, year - 1 in years))
            summary["spoiled"][year] = len(spoiled[-1])
        if include_seed_department and year == SEED_YEAR:
            real = seed_tables(seed_dir, rubric.jurisdiction)
            for name, frame in real.items():
                tables[name] = pd.concat([frame, tables.get(name)], ignore_index=True)
            summary["seed_departments"] = sorted(
                real.get("departments", {"dept_code": []})["dept_code"]
            )
        year_dir = out_dir / str(year)
        year_dir.mkdir(parents=True, exist_ok=True)
        clear_extracts(year_dir)
        written = []
        for name, frame in tables.items():
            # a required extract is written even with no rows (a rubric without
            # checklist lines still sends checklist's header), an optional one only with
            if len(frame) or extract_specs()[name].required:
                ordered = frame.sort_values("dept_code", kind="stable")
                written.append(write_extract(year_dir, name, ordered, fmt).name)
        summary["files"][year] = written
        summary["departments"][year] = sorted(tables["departments"]["dept_code"])
    if realism:
        pd.concat(spoiled, ignore_index=True).to_csv(
            out_dir / SPOILED, index=False, encoding="utf-8", lineterminator="\n"
        )
    else:
        (out_dir / SPOILED).unlink(missing_ok=True)
    command = command or _command(
        years, departments, seed, include_seed_department, fmt, lines, realism
    )
    (out_dir / "README.md").write_text(_readme(summary, rubrics, command), encoding="utf-8")
    return summary


def _year_tables(rng, roster: Roster, year: int, rubric: Rubric, prior, lines=None):
    depts = roster.present(year)
    budget, rates = budget_year(rng, depts, prior, rubric.numbers.rate_places)
    tables = {
        "departments": depts[["dept_code", "dept_name", "category"]].assign(
            jurisdiction=rubric.jurisdiction
        ),
        "budget": copy_twin(budget, roster.tie),
        "indicators": copy_twin(indicators_year(rng, depts, rubric, lines), roster.tie),
        "checklist": copy_twin(checklist_year(rng, depts, rubric), roster.tie),
    }
    tables["self_reported"] = self_reported_year(tables["budget"], roster.self_reporting, rubric)
    return tables, copy_twin(rates, roster.tie)


def _command(years, departments, seed, include_seed, fmt, lines=None, realism=False) -> str:
    args = ["--out", "<this folder>", "--years", *map(str, years)]
    args += ["--departments", str(departments), "--seed", str(seed)]
    args += [] if lines is None else ["--lines", str(lines)]
    args += [] if include_seed else ["--no-seed-department"]
    args += [] if fmt == "csv" else ["--format", fmt]
    args += ["--realism"] if realism else []
    return "python -m pipelines.samples " + shlex.join(args)


def _readme(summary: dict, rubrics: dict[int, Rubric], command: str) -> str:
    years = summary["years"]
    rubric_list = ", ".join(f"{y}: {rubrics[y].id}" for y in years)
    missing = summary["missing"]
    lines = [
        "# Synthetic sample extracts",
        "",
        "Every department `SYN-…` (示例部门…（合成数据）) in these folders is **synthetic**:",
        "invented by `pipelines/samples` to exercise the pipeline, not published data.",
    ]
    if summary["seed_departments"]:
        codes = ", ".join(summary["seed_departments"])
        lines += [
            f"The exception is {codes} in {SEED_YEAR}: real rows, copied unchanged from the",
            f"project's `raw/seed/{SEED_YEAR}` "
            f"(source and caveats: `raw/seed/{SEED_YEAR}/README.md`).",
        ]
    lines += [
        "",
        "Generated with:",
        "",
        "```sh",
        command,
        "```",
        "",
        f"Years: {', '.join(map(str, years))}. Rubrics used for their shape: {rubric_list}.",
        "",
        "Edge cases:",
        "",
        f"- {summary['poor']} is built to score 差 (low execution, failed checklist, poor grades).",
        f"- {' and '.join(summary['tie'])} have identical inputs: equal totals, a shared rank.",
    ]
    if missing:
        lines.append(f"- {missing['dept_code']} is absent from {missing['year']}.")
    if summary["self_reported"]:
        codes = summary["self_reported"]
        verb = "publishes" if len(codes) == 1 else "publish"
        lines.append(
            f"- {', '.join(codes)} {verb} self-reported scores "
            "(management lines claimed in full, even where criteria failed)."
        )
    if summary["spoiled"] is not None:
        lines += [
            "",
            "Realism (`--realism`): about a third of the other departments have a finding",
            "(an assessed score outside its band, budget parts that miss their total, an",
            "empty or stale prior rate, a renamed line, self-reported figures that do not",
            "reconcile), and about 0.1% of the rows are spoiled to be refused at staging;",
            f"`{SPOILED}` lists those rows (year, extract, department, line, column, value).",
        ]
    return "\n".join(lines) + "\n"
