"""The budget extract, one row per department, built in integers of 分 (cents).

basic + project = full_year_budget and basic_executed + project_executed = executed
hold exactly because one part of each pair is the other's remainder.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipelines.samples.amounts import fixed, pct_scaled

# Execution rate range by profile (sound, middling, weak, the 差 department).
EXEC_LOW = np.array([0.88, 0.75, 0.60, 0.45])
EXEC_HIGH = np.array([1.00, 0.95, 0.82, 0.55])
OVER_SPEND_ODDS = 0.05  # sound departments slightly over 100%

AMOUNTS = [
    "full_year_budget",
    "basic_budget",
    "project_budget",
    "executed",
    "basic_executed",
    "project_executed",
    "initial_budget",
    "final_accounts",
    "carryover_total",
    "carryover_fiscal",
    "carryover_nonfiscal",
]


def budget_year(
    rng: np.random.Generator, depts: pd.DataFrame, prior: pd.DataFrame | None, rate_places: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(budget extract as text, this year's rates scaled by 10**rate_places for next year).

    ``prior`` holds last year's scaled rates (dept_code, carryover, diff) of the departments
    generated last year; the others get a plausible published rate drawn near this year's.
    """
    n = len(depts)
    profile = depts["profile"].to_numpy()
    full = np.maximum(np.rint(depts["base_cents"] * np.exp(rng.normal(0, 0.08, n))), 1)
    full = full.astype("int64")
    basic = np.rint(full * depts["basic_share"].to_numpy()).astype("int64")
    rate = EXEC_LOW[profile] + (EXEC_HIGH[profile] - EXEC_LOW[profile]) * rng.random(n)
    over = (profile == 0) & (rng.random(n) < OVER_SPEND_ODDS)
    rate = np.where(over, 1 + 0.02 * rng.random(n), rate)
    executed = np.rint(full * rate).astype("int64")
    basic_rate = np.minimum(rate + 0.06 * rng.random(n), np.maximum(rate, 1.0))
    basic_executed = np.minimum(np.rint(basic * basic_rate).astype("int64"), executed)
    initial = np.maximum(np.rint(full * rng.uniform(0.70, 1.00, n)), 1).astype("int64")
    fiscal = np.rint(np.maximum(full - executed, 0) * rng.uniform(0.2, 1.0, n)).astype("int64")
    nonfiscal = np.rint(full * rng.uniform(0.0, 0.02, n)).astype("int64")
    cents = {
        "full_year_budget": full,
        "basic_budget": basic,
        "project_budget": full - basic,
        "executed": executed,
        "basic_executed": basic_executed,
        "project_executed": executed - basic_executed,
        "initial_budget": initial,
        "final_accounts": executed,
        "carryover_total": fiscal + nonfiscal,
        "carryover_fiscal": fiscal,
        "carryover_nonfiscal": nonfiscal,
    }
    rates = pd.DataFrame(
        {
            "dept_code": depts["dept_code"],
            "carryover": pct_scaled(fiscal + nonfiscal, full, rate_places),
            "diff": pct_scaled(np.abs(executed - initial), initial, rate_places),
        }
    )
    scale = 10**rate_places
    drawn = pd.DataFrame(
        {
            "dept_code": depts["dept_code"],
            "carryover": np.maximum(rates["carryover"] + np.rint(rng.normal(0, 2, n) * scale), 0),
            "diff": np.maximum(rates["diff"] + np.rint(rng.normal(0, 5, n) * scale), 0),
        }
    ).astype({"carryover": "int64", "diff": "int64"})
    if prior is not None:
        known = drawn[["dept_code"]].merge(prior, how="left", on="dept_code")
        drawn["carryover"] = known["carryover"].fillna(drawn["carryover"]).astype("int64")
        drawn["diff"] = known["diff"].fillna(drawn["diff"]).astype("int64")
    out = pd.DataFrame({"dept_code": depts["dept_code"]})
    for col in AMOUNTS:
        out[col] = fixed(cents[col], 2)
    out["prior_carryover_rate"] = fixed(drawn["carryover"], rate_places)
    out["prior_diff_rate"] = fixed(drawn["diff"], rate_places)
    return out, rates
