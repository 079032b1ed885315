"""What real years have and clean synthetic ones lack: findings and refused rows.

Published years give about a third of departments a finding and refuse a few rows at
staging. ``add_realism`` spoils a year's generated tables the same ways, at rates close
to those, so that a benchmark or a demonstration meets the work real data brings: the
refusals, the reconciliation and the band checks. Every draw comes from the ``rng`` it is
given (its own stream, so the clean tables of the same seed stay the same).

Findings (per department, each drawn on its own):

- a qualitative line whose assessed score lies outside its band (``assessed_out_of_band``);
- basic + project budget that misses the full-year budget by a slip (``budget_parts_mismatch``);
- an empty ``prior_carryover_rate`` (``no_prior_year_rate`` when last year is not loaded);
- with last year generated: a stated prior rate that last year's amounts do not give
  (``prior_rate_mismatch``), an indicator renamed (``line_name_drift``);
- a published self-evaluation (``self_reported``): the ratio lines, the checklist lines and
  the executed amount; now and then a score truncated instead of rounded half up, a rate
  mistyped, the checklist claimed in full, an amount mistyped (``reported_*_mismatch``).

Refusals (per row): an amount or number mistyped (``12,3x4.56``), a weight written with
its unit, a criterion number outside the rubric's range, a group written as its label.
Each refused row also leaves its department unscored (an ``error`` finding). The rows
spoiled are returned, so that a reference scorer that trusts its input can leave them out.

The edge-case departments (``Roster``) and the departments that already publish
self-reported figures are left alone: their roles depend on their clean inputs.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipelines.rubric import Rubric
from pipelines.samples.amounts import fixed, pct_scaled, scaled
from pipelines.samples.roster import Roster

SPOILED_COLUMNS = ["year", "extract", "dept_code", "line_code", "column", "value"]

# Per department.
ASSESSED_OUT_ODDS = 0.12
PARTS_SLIP_ODDS = 0.06
PRIOR_EMPTY_ODDS = 0.08
PRIOR_STALE_ODDS = 0.05
NAME_DRIFT_ODDS = 0.03
REPORTING_ODDS = 0.25
# Per reporting department.
TRUNCATES_ODDS = 0.15
RATE_TYPO_ODDS = 0.06
CLAIMS_FULL_ODDS = 0.35
AMOUNT_TYPO_ODDS = 0.05
# Per row of budget, indicators and checklist: about 0.1% of a year's rows.
REFUSED_ROW_ODDS = 0.001

REPORT_SOURCE = "合成数据：自评表"
BUDGET_GARBLED = ["full_year_budget", "executed", "initial_budget", "final_accounts"]
GROUP_LABELS = {"output": "产出指标", "effect": "效果指标"}


def add_realism(
    rng: np.random.Generator,
    tables: dict[str, pd.DataFrame],
    roster: Roster,
    year: int,
    rubric: Rubric,
    last_year_generated: bool,
) -> pd.DataFrame:
    """Spoil ``tables`` (replaced in the dict) and return the refused rows (SPOILED_COLUMNS)."""
    depts = tables["departments"]["dept_code"]
    untouched = {roster.poor, *roster.tie, *roster.self_reporting}
    if roster.missing:
        untouched.add(roster.missing[0])
    eligible = depts[~depts.isin(untouched)].to_numpy()
    draws = rng.random((len(eligible), 6))
    chosen = {
        name: set(eligible[draws[:, i] < odds])
        for i, (name, odds) in enumerate(
            [
                ("assessed", ASSESSED_OUT_ODDS),
                ("parts", PARTS_SLIP_ODDS),
                ("prior_empty", PRIOR_EMPTY_ODDS),
                ("prior_stale", PRIOR_STALE_ODDS if last_year_generated else 0),
                ("drift", NAME_DRIFT_ODDS if last_year_generated else 0),
                ("reporting", REPORTING_ODDS),
            ]
        )
    }
    tables["indicators"] = _assessed_out_of_band(rng, tables["indicators"], rubric, chosen)
    tables["indicators"] = _name_drift(rng, tables["indicators"], chosen["drift"])
    tables["budget"] = _budget_slips(rng, tables["budget"], rubric, chosen)
    reported = _self_reported(rng, tables, rubric, sorted(chosen["reporting"]))
    if len(reported):
        frames = [f for f in (tables.get("self_reported"), reported) if f is not None and len(f)]
        tables["self_reported"] = pd.concat(frames, ignore_index=True)
    spoiled = [
        _spoil_budget(rng, tables, set(eligible), year),
        _spoil_indicators(rng, tables, set(eligible), year),
        _spoil_checklist(rng, tables, rubric, set(eligible), year),
    ]
    return pd.concat([s for s in spoiled if len(s)] or [spoiled[0]], ignore_index=True)


def _cents(text: pd.Series) -> np.ndarray:
    """Generated fixed-point text ("12345.67") → integers of its last place."""
    return text.str.replace(".", "", regex=False).astype("int64").to_numpy()


def _assessed_out_of_band(rng, ind: pd.DataFrame, rubric: Rubric, chosen) -> pd.DataFrame:
    """One qualitative line per chosen department gets an assessed score outside its band,
    by a tenth of the weight (never below 0 nor above the weight: that is refused)."""
    rules = rubric.indicator_rules
    if rules is None or not len(ind) or not chosen["assessed"]:
        return ind
    grades = {g: i for i, g in enumerate(rules.qualitative.grades)}
    bands = rules.qualitative.bands_by_shortfall
    weight = pd.Series(0, index=ind.index, dtype="int64")
    qual = (ind["kind"] == "qualitative") & ind["dept_code"].isin(chosen["assessed"])
    weight[qual] = _cents(ind.loc[qual, "weight"])
    rows = ind[qual & (weight >= 100)].assign(key=rng.random(int((qual & (weight >= 100)).sum())))
    if not len(rows):
        return ind
    pick = rows.loc[rows.groupby("dept_code", sort=False)["key"].idxmin()]
    w = weight[pick.index].to_numpy()
    short = pick["actual"].map(grades).to_numpy() - pick["target"].map(grades).to_numpy()
    band = np.minimum(np.maximum(short, 0), len(bands) - 1)
    low_bp = np.array([scaled(b.min_share_pct, 4, "min_share_pct") for b in bands])[band]
    high_bp = np.array([scaled(b.max_share_pct, 4, "max_share_pct") for b in bands])[band]
    margin = np.maximum(w // 10, 1)
    below = -(-(w * low_bp) // 1_000_000) - margin  # under the band's lowest score
    above = (w * high_bp) // 1_000_000 + margin  # over its highest
    can_below, can_above = (low_bp > 0) & (below >= 0), above <= w
    go_below = can_below & (~can_above | (rng.random(len(w)) < 0.5))
    value = np.where(go_below, below, above)
    ok = can_below | can_above
    out = ind.copy()
    out.loc[pick.index[ok], "assessed_score"] = fixed(value[ok], 2).to_numpy()
    return out


def _name_drift(rng, ind: pd.DataFrame, drifting: set) -> pd.DataFrame:
    """One line of each drifting department is renamed this year (its code stays)."""
    rows = ind[ind["dept_code"].isin(drifting)]
    if not len(rows):
        return ind
    rows = rows.assign(key=rng.random(len(rows)))
    pick = rows.groupby("dept_code", sort=False)["key"].idxmin()
    out = ind.copy()
    out.loc[pick.to_numpy(), "name"] = out.loc[pick.to_numpy(), "name"] + "（调整）"
    return out


def _budget_slips(rng, budget: pd.DataFrame, rubric: Rubric, chosen) -> pd.DataFrame:
    out = budget.copy()
    parts = out["dept_code"].isin(chosen["parts"]).to_numpy()
    if parts.any():
        project = _cents(out.loc[parts, "project_budget"])
        slip = rng.integers(1, 100_001, int(parts.sum())) * np.where(project > 200_000, -1, 1)
        out.loc[parts, "project_budget"] = fixed(project + slip, 2).to_numpy()
    places = rubric.numbers.rate_places
    stale = out["dept_code"].isin(chosen["prior_stale"]).to_numpy()
    if stale.any() and out["prior_carryover_rate"].notna().all():
        rate = _cents(out.loc[stale, "prior_carryover_rate"])
        step = rng.integers(50, 301, int(stale.sum())) * 10**places // 100
        out.loc[stale, "prior_carryover_rate"] = fixed(rate + step, places).to_numpy()
    empty = out["dept_code"].isin(chosen["prior_empty"]).to_numpy()
    out["prior_carryover_rate"] = out["prior_carryover_rate"].astype(object)
    out.loc[empty, "prior_carryover_rate"] = None
    return out


def _self_reported(rng, tables, rubric: Rubric, codes: list[str]) -> pd.DataFrame:
    """The reporting departments' published scores of the ratio and checklist lines, and
    their executed amount; right unless one of the reporter's slips changes it."""
    columns = ["dept_code", "line_code", "reported_score", "reported_value", "source", "measure"]
    budget = tables["budget"].set_index("dept_code")
    codes = [c for c in codes if c in budget.index]
    if not codes:
        return pd.DataFrame(columns=columns)
    n, sp, rp = len(codes), rubric.numbers.score_places, rubric.numbers.rate_places
    slips = rng.random((n, 4))
    truncates, typo, full, amount_typo = (
        slips[:, i] < odds
        for i, odds in enumerate(
            [TRUNCATES_ODDS, RATE_TYPO_ODDS, CLAIMS_FULL_ODDS, AMOUNT_TYPO_ODDS]
        )
    )
    rows = []
    fixed_lines = list(rubric.fixed_lines())
    for placed in fixed_lines:
        rule, w = placed.line.rule, scaled(placed.line.weight, sp, "weight")
        if rule.kind != "ratio" or not {rule.numerator, rule.denominator} <= set(budget):
            continue
        num = _cents(budget.loc[codes, rule.numerator])
        rate = pct_scaled(num, _cents(budget.loc[codes, rule.denominator]), rp)
        part = np.minimum(rate, scaled(rule.cap_pct, rp, "cap_pct")) * w
        den = 100 * 10**rp
        score = np.where(truncates, part // den, (2 * part + den) // (2 * den))
        shown = rate + np.where(typo, rng.integers(1, 200, n) * 10**rp // 100, 0)
        rows.append(
            pd.DataFrame(
                {
                    "dept_code": codes,
                    "line_code": placed.code,
                    "reported_score": fixed(score, sp).to_numpy(),
                    "reported_value": (fixed(shown, rp) + "%").to_numpy(),
                }
            )
        )
    failed = _failures(tables["checklist"], codes)
    for placed in fixed_lines:
        rule = placed.line.rule
        if rule.kind != "checklist":
            continue
        w = scaled(placed.line.weight, sp, "weight")
        per = scaled(rule.deduct_per_failure, sp, "deduct_per_failure")
        lost = failed.get(placed.code, pd.Series(0, index=codes)).to_numpy()
        score = np.where(full, w, np.maximum(w - per * lost, 0))
        rows.append(
            pd.DataFrame(
                {"dept_code": codes, "line_code": placed.code, "reported_score": fixed(score, sp)}
            )
        )
    if "executed" in budget:
        executed = _cents(budget.loc[codes, "executed"])
        executed = executed + np.where(amount_typo, 9 * 10 ** rng.integers(0, 5, n), 0)
        text = fixed(executed, 2)
        whole = text.str[:-3].astype("int64")
        printed = whole.map("{:,}".format) + "." + text.str[-2:]
        rows.append(
            pd.DataFrame(
                {
                    "dept_code": codes,
                    "line_code": "executed",
                    "reported_score": text.to_numpy(),
                    "reported_value": printed.to_numpy(),
                    "measure": "executed",
                }
            )
        )
    out = pd.concat(rows, ignore_index=True).reindex(columns=columns)
    out["source"] = REPORT_SOURCE
    return out.sort_values(["dept_code", "line_code"], kind="stable", ignore_index=True)


def _failures(checklist: pd.DataFrame, codes: list[str]) -> dict[str, pd.Series]:
    """line_code → failed criteria of each of ``codes`` (0 where none)."""
    rows = checklist[checklist["dept_code"].isin(codes) & (checklist["passed"] == "false")]
    counts = rows.groupby(["line_code", "dept_code"]).size()
    return {
        line: counts.loc[line].reindex(codes, fill_value=0)
        for line in counts.index.get_level_values(0).unique()
    }


def _garble(rng, values: pd.Series) -> pd.Series:
    """A digit of the whole part mistyped as x, thousands written by hand: 12345.67 →
    12,3x5.67 (a few values: a plain loop)."""
    out = []
    for value in values.to_numpy():
        whole, dot, rest = str(value).partition(".")
        i = int(rng.integers(0, len(whole)))
        whole = whole[:i] + "x" + whole[i + 1 :]
        if len(whole) > 3:
            whole = whole[:-3] + "," + whole[-3:]
        out.append(whole + dot + rest)
    return pd.Series(out, index=values.index, dtype=object)


def _rows(rng, frame: pd.DataFrame, eligible: set) -> pd.Series:
    return frame["dept_code"].isin(eligible) & (rng.random(len(frame)) < REFUSED_ROW_ODDS)


def _record(year, extract, frame, column, lines=None) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "year": year,
            "extract": extract,
            "dept_code": frame["dept_code"].to_numpy(),
            "line_code": None if lines is None else lines.to_numpy(),
            "column": column,
            "value": frame[column].to_numpy() if isinstance(column, str) else None,
        },
        columns=SPOILED_COLUMNS,
    )


def _spoil_budget(rng, tables, eligible: set, year: int) -> pd.DataFrame:
    budget = tables["budget"].copy()
    hit = _rows(rng, budget, eligible).to_numpy()
    column = np.array(BUDGET_GARBLED)[rng.integers(0, len(BUDGET_GARBLED), int(hit.sum()))]
    records = []
    for col in BUDGET_GARBLED:
        rows = budget.index[hit][column == col]
        budget.loc[rows, col] = _garble(rng, budget.loc[rows, col].astype(str)).to_numpy()
        records.append(_record(year, "budget", budget.loc[rows], col))
    tables["budget"] = budget
    return pd.concat(records, ignore_index=True)


def _spoil_indicators(rng, tables, eligible: set, year: int) -> pd.DataFrame:
    ind = tables["indicators"].copy()
    hit = _rows(rng, ind, eligible).to_numpy()
    how = rng.integers(0, 4, int(hit.sum()))  # a number, a weight with its unit, a group label
    rows = ind.index[hit]
    quant = (ind.loc[rows, "kind"] == "quantitative").to_numpy()
    number = rows[(how < 2) & quant]
    column = np.where(how[(how < 2) & quant] == 0, "target", "actual")
    weight = rows[((how < 2) & ~quant) | (how == 2)]
    group = rows[how == 3]
    records = []
    for col in ("target", "actual"):
        at = number[column == col]
        ind.loc[at, col] = _garble(rng, ind.loc[at, col].astype(str)).to_numpy()
        records.append(_record(year, "indicators", ind.loc[at], col, ind.loc[at, "line_code"]))
    ind.loc[weight, "weight"] = ind.loc[weight, "weight"] + "分"
    records.append(
        _record(year, "indicators", ind.loc[weight], "weight", ind.loc[weight, "line_code"])
    )
    labels = ind.loc[group, "group"].map(GROUP_LABELS)
    ind.loc[group, "group"] = labels.fillna(ind.loc[group, "group"] + "指标").to_numpy()
    records.append(
        _record(year, "indicators", ind.loc[group], "group", ind.loc[group, "line_code"])
    )
    tables["indicators"] = ind
    return pd.concat(records, ignore_index=True)


def _spoil_checklist(rng, tables, rubric: Rubric, eligible: set, year: int) -> pd.DataFrame:
    """A criterion numbered past the rubric's last (the row it should be goes missing too)."""
    checklist = tables["checklist"].copy()
    hit = _rows(rng, checklist, eligible)
    if not hit.any():
        return _record(year, "checklist", checklist[hit], "criterion_no")
    last = checklist.loc[hit, "line_code"].map(rubric.checklist_criteria())
    # past the last, and no two alike: each spoiled row is refused once, for its number
    past = checklist[hit].groupby(["dept_code", "line_code"]).cumcount() + 1
    checklist.loc[hit, "criterion_no"] = (last + past).astype(str)
    tables["checklist"] = checklist
    return _record(
        year, "checklist", checklist[hit], "criterion_no", checklist.loc[hit, "line_code"]
    )
