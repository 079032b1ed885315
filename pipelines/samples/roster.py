"""The synthetic departments: codes, names and profiles that stay the same every year,
and the roles of the edge-case departments (see ``pipelines.samples.generate``)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

PREFIX = "SYN-"
CATEGORIES = np.array(["综合管理", "经济发展", "社会事业", "城市建设"])
# Profiles: 0 sound, 1 middling, 2 weak, 3 the 差 department (never drawn at random).
PROFILE_ODDS = [0.70, 0.22, 0.08]
POOR_PROFILE = 3


@dataclass(frozen=True)
class Roster:
    frame: pd.DataFrame  # dept_code, dept_name, category, base_cents, basic_share, profile
    poor: str
    tie: tuple[str, str]
    missing: tuple[str, int] | None  # (dept_code, the year it is absent)
    self_reporting: tuple[str, ...]

    def present(self, year: int) -> pd.DataFrame:
        frame = self.frame
        if self.missing and self.missing[1] == year:
            frame = frame[frame["dept_code"] != self.missing[0]]
        return frame.reset_index(drop=True)


def make_roster(rng: np.random.Generator, departments: int, years: list[int]) -> Roster:
    if departments < 4:
        raise ValueError("departments must be at least 4: the 差 department, a tied pair, a gap")
    width = max(3, len(str(departments)))
    numbers = pd.Series(np.arange(1, departments + 1)).astype(str).str.zfill(width)
    # full-year budget in 分, log-uniform between 500 and 50,000 万元 (before yearly drift)
    base = np.rint(np.exp(rng.uniform(np.log(500), np.log(50_000), departments)) * 100)
    frame = pd.DataFrame(
        {
            "dept_code": PREFIX + numbers,
            "dept_name": "示例部门" + numbers + "（合成数据）",
            "category": CATEGORIES[rng.integers(0, len(CATEGORIES), departments)],
            "base_cents": base.astype("int64"),
            "basic_share": rng.uniform(0.30, 0.75, departments),
            "profile": rng.choice(len(PROFILE_ODDS), size=departments, p=PROFILE_ODDS),
        }
    )
    codes = list(frame["dept_code"])
    poor, tie_a, tie_b, gap = codes[:4]
    frame.loc[0, "profile"] = POOR_PROFILE
    # the second twin takes the first twin's profile and category; its inputs are copied
    for col in ("category", "base_cents", "basic_share", "profile"):
        frame.loc[2, col] = frame.loc[1, col]
    ordered = sorted(set(years))
    missing = None
    if len(ordered) >= 3:
        missing = (gap, ordered[len(ordered) // 2])
    elif len(ordered) == 2:
        missing = (gap, ordered[1])
    others = codes[4:]
    count = min(len(others), max(1, departments // 10), 3)
    reporting = tuple(sorted(rng.choice(others, size=count, replace=False))) if others else ()
    return Roster(frame, poor, (tie_a, tie_b), missing, reporting)


def copy_twin(table: pd.DataFrame, tie: tuple[str, str]) -> pd.DataFrame:
    """Replace the second twin's rows by the first twin's, under the second twin's code."""
    first, second = tie
    copy = table[table["dept_code"] == first].assign(dept_code=second)
    rest = table[table["dept_code"] != second]
    return pd.concat([rest, copy], ignore_index=True).sort_values(
        "dept_code", kind="stable", ignore_index=True
    )
