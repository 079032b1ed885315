"""The indicators and checklist extracts, vectorised over all departments at once.

Everything rubric-shaped comes from the rubric: the declared groups and their weights,
the qualitative grades and their bands, the over-achievement edges, the checklist
lines and their criterion counts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipelines.rubric import Rubric
from pipelines.samples.amounts import fixed, scaled

SUBJECTS = np.array(
    [
        "政务服务",
        "城市运行",
        "社区治理",
        "产业发展",
        "生态环境",
        "公共文化",
        "应急管理",
        "对外交流",
        "科技创新",
        "教育培训",
        "医疗卫生",
        "交通出行",
    ]
)
# Quantitative templates: name suffix, unit, direction, target range, decimals, capped at 100.
QUANT = pd.DataFrame(
    [
        ("服务覆盖人次", "人次", "positive", 200, 5000, 0, False),
        ("项目完成数量", "个", "positive", 5, 60, 0, False),
        ("检查覆盖单位数", "家", "positive", 20, 300, 0, False),
        ("任务按时完成率", "%", "positive", 90, 100, 2, True),
        ("服务对象满意度", "%", "positive", 85, 98, 2, True),
        ("群众投诉件数", "件", "reverse", 5, 60, 0, False),
        ("平均办理时长", "天", "reverse", 3, 20, 1, False),
        ("单位服务成本", "万元", "reverse", 10, 200, 2, False),
    ],
    columns=["suffix", "unit", "direction", "low", "high", "places", "capped"],
)
QUAL = np.array(
    [
        "工作机制进一步健全",
        "服务质量持续提升",
        "社会影响力明显增强",
        "长效管理机制有效运行",
        "群众获得感不断增强",
    ]
)
SUBGROUPS = {
    "output": ["数量", "质量", "进度", "成本"],
    "effect": ["社会效益", "经济效益", "可持续影响", "满意度"],
}

QUALITATIVE_ODDS = 0.4
ASSESSED_ODDS = 0.6
OVER_ACHIEVER_ODDS = 0.04
REVERSE_ZERO_ODDS = 0.05
# By profile (sound, middling, weak, 差): achievement range, grade shortfall odds 0/1/2,
# checklist failure odds (the 差 department fails every criterion but the first).
ACHIEVE_LOW = np.array([0.92, 0.80, 0.65, 0.30])
ACHIEVE_HIGH = np.array([1.10, 1.05, 0.95, 0.50])
SHORTFALL_ODDS = np.array([[0.85, 0.13, 0.02], [0.60, 0.30, 0.10], [0.40, 0.35, 0.25]])
FAIL_ODDS = np.array([0.02, 0.08, 0.20, 1.0])
POOR = 3


def indicators_year(
    rng: np.random.Generator, depts: pd.DataFrame, rubric: Rubric, lines: int | None = None
) -> pd.DataFrame:
    """``lines``: declared lines per department, spread evenly over the declared groups
    (default: 3–5 per department and group, drawn)."""
    groups = list(rubric.declared_groups().items())
    if not groups:
        return pd.DataFrame(columns=["dept_code", "line_code"])
    rules = rubric.indicator_rules
    d, g = len(depts), len(groups)
    if lines is None:
        counts = rng.integers(3, 6, size=(d, g)).ravel()
    else:
        per_group = [lines // g + (i < lines % g) for i in range(g)]
        counts = np.tile(per_group, d)
    dept_ix = np.repeat(np.repeat(np.arange(d), g), counts)
    group_ix = np.repeat(np.tile(np.arange(g), d), counts)
    lines = pd.DataFrame({"dept": dept_ix, "grp": group_ix})
    k = lines.groupby(["dept", "grp"]).cumcount().to_numpy() + 1
    n = len(lines)
    codes = np.array([code for code, _ in groups])
    profile = depts["profile"].to_numpy()[dept_ix]
    poor = profile == POOR

    weights = _split_weights(rng, lines, k, [grp.weight for _, (_, grp) in groups])
    # What a line is (its kind, subject and template, hence its name) belongs to its
    # code: the same department, group and position keep it every year, as real
    # goals do. Only the figures change from year to year.
    keys = pd.Series(depts["dept_code"].to_numpy()[dept_ix]) + "|" + codes[group_ix] + "|"
    stable = _stable_uniform(keys + pd.Series(k).astype(str), 3)
    qualitative = stable[0] < QUALITATIVE_ODDS
    sub_lists = [SUBGROUPS.get(code, [grp.name]) for code, (_, grp) in groups]
    sub_len = np.array([len(s) for s in sub_lists])
    sub_start = np.concatenate([[0], sub_len.cumsum()[:-1]])
    subgroup = np.concatenate(sub_lists)[sub_start[group_ix] + (k - 1) % sub_len[group_ix]]
    subject = SUBJECTS[(stable[1] * len(SUBJECTS)).astype(int)]

    # quantitative lines: target and actual in hundredths of the unit
    t = QUANT.iloc[(stable[2] * len(QUANT)).astype(int)].reset_index(drop=True)
    unit_scale = 10 ** (2 - t["places"].to_numpy())
    raw_target = t["low"] + (t["high"] - t["low"]) * rng.random(n)
    target = np.rint(raw_target * 10 ** t["places"]).astype("int64") * unit_scale
    achieve = ACHIEVE_LOW[profile] + (ACHIEVE_HIGH - ACHIEVE_LOW)[profile] * rng.random(n)
    positive = (t["direction"] == "positive").to_numpy()
    edges = [b.min_over_pct for b in getattr(rules.quantitative, "over_achievement", [])]
    over = positive & ~t["capped"].to_numpy() & ~poor & (rng.random(n) < OVER_ACHIEVER_ODDS)
    if edges:
        edge = np.array([float(e) for e in edges])[rng.integers(0, len(edges), n)]
        achieve = np.where(over, 1 + edge / 100 * (1 + 0.3 * rng.random(n)), achieve)
    else:
        achieve = np.where(over, 2 + rng.random(n), achieve)
    value = np.where(positive, target * achieve, target / achieve)
    value = np.ceil(value / unit_scale) * unit_scale
    value = np.where(t["capped"], np.minimum(value, 100 * 100), value)
    zero = ~positive & (t["places"] == 0).to_numpy() & (rng.random(n) < REVERSE_ZERO_ODDS)
    actual = np.where(zero & ~poor, 0, value).astype("int64")

    # qualitative lines: grades from the rubric, best first
    grades = np.array(rules.qualitative.grades)
    bands = rules.qualitative.bands_by_shortfall
    target_pos = np.where(rng.random(n) < 0.85, 0, 1)
    cum = SHORTFALL_ODDS.cumsum(axis=1)[np.minimum(profile, 2)]
    short = (rng.random(n)[:, None] > cum).sum(axis=1)
    better = (target_pos > 0) & (short == 0) & (rng.random(n) < 0.3)
    actual_pos = np.clip(target_pos + short - better, 0, len(grades) - 1)
    target_pos = np.where(poor, 0, target_pos)
    actual_pos = np.where(poor, len(grades) - 1, actual_pos)
    band = np.minimum(np.maximum(actual_pos - target_pos, 0), len(bands) - 1)
    low_bp = np.array([scaled(b.min_share_pct, 4, "min_share_pct") for b in bands])[band]
    high_bp = np.array([scaled(b.max_share_pct, 4, "max_share_pct") for b in bands])[band]
    low = -(-(weights * low_bp) // 1_000_000)  # ceil: hundredths of a point within the band
    high = (weights * high_bp) // 1_000_000
    assessed = rng.integers(0, np.maximum(high - low, 0) + 1) + low
    has_assessed = qualitative & ~poor & (low <= high) & (rng.random(n) < ASSESSED_ODDS)

    def pick(quant, qual):
        return np.where(qualitative, qual, quant)

    out = pd.DataFrame(
        {
            "dept_code": depts["dept_code"].to_numpy()[dept_ix],
            "line_code": pd.Series(codes[group_ix]) + "_" + pd.Series(k).astype(str).str.zfill(2),
            "group": codes[group_ix],
            "name": pd.Series(subject)
            + pick(t["suffix"], QUAL[(stable[2] * len(QUAL)).astype(int)]),
            "kind": pick("quantitative", "qualitative"),
            "target": pick(_num(target, t["places"]), grades[target_pos]),
            "actual": pick(_num(actual, t["places"]), grades[actual_pos]),
            "weight": fixed(weights, 2),
            "direction": pick(t["direction"], None),
            "unit": pick(t["unit"], None),
            "assessed_score": fixed(assessed, 2).where(has_assessed, None),
            "subgroup": subgroup,
        }
    )
    return out


def _stable_uniform(keys: pd.Series, draws: int) -> list[np.ndarray]:
    """Uniforms in [0, 1) that depend only on each key (not on the year's generator)."""
    out = []
    for i in range(draws):
        h = pd.util.hash_pandas_object(keys + f"#{i}", index=False).to_numpy()
        out.append((h % np.uint64(1_000_003)).astype(np.float64) / 1_000_003)
    return out


def _split_weights(rng, lines: pd.DataFrame, k: np.ndarray, group_weights) -> np.ndarray:
    """Positive weights in hundredths that add up exactly to each group's weight.

    Weights come in half points when the group weight allows it, else in hundredths.
    """
    total = np.array([scaled(w, 2, "group weight") for w in group_weights])
    step = np.where(total % 50 == 0, 50, 1)
    units = (total // step)[lines["grp"]]
    keys = [lines["dept"], lines["grp"]]
    count = lines.groupby(keys)["grp"].transform("size").to_numpy()
    if (units < count).any():
        raise ValueError("a declared group's weight is too small to split into that many lines")
    share = 1 + rng.random(len(lines))
    share_sum = pd.Series(share).groupby(keys).transform("sum").to_numpy()
    parts = 1 + np.floor(share / share_sum * (units - count)).astype("int64")
    left = units - pd.Series(parts).groupby(keys).transform("sum").to_numpy()
    parts = parts + (k <= left)
    return parts * step[lines["grp"]]


def _num(hundredths: np.ndarray, places: pd.Series) -> np.ndarray:
    """Hundredths of a unit → text with the template's decimals."""
    out = fixed(hundredths, 2)
    p = places.to_numpy()
    return np.where(p == 0, out.str[:-3], np.where(p == 1, out.str[:-1], out))


def checklist_year(rng: np.random.Generator, depts: pd.DataFrame, rubric: Rubric) -> pd.DataFrame:
    criteria = rubric.checklist_criteria()
    line = np.repeat(np.array(list(criteria), dtype=object), list(criteria.values()))
    # a rubric without checklist lines (chongqing/2023) gives an empty checklist
    number = np.concatenate([np.arange(1, c + 1) for c in criteria.values()] or [[]])
    number = number.astype("int64")
    d, m = len(depts), len(line)
    profile = np.repeat(depts["profile"].to_numpy(), m)
    number_all = np.tile(number, d)
    failed = rng.random(d * m) < FAIL_ODDS[profile]
    failed = np.where(profile == POOR, number_all != 1, failed)
    return pd.DataFrame(
        {
            "dept_code": np.repeat(depts["dept_code"].to_numpy(), m),
            "line_code": np.tile(line, d),
            "criterion_no": number_all.astype(str),
            "passed": np.where(failed, "false", "true"),
        }
    )
