"""banded_lookup: a fixed line whose rate, from two budget amounts, selects a band.

score = weight × the share of the highest band whose lower edge (included) the rate
reaches; below every band, 0.
"""

from pipelines.rubric.rules import BandedLookup
from pipelines.scoring.rules import Scope
from pipelines.scoring.rules.common import (
    band_keys,
    band_lookup,
    budget_rate,
    fixed_line,
    rate_columns,
    ref_key,
)

KIND = "banded_lookup"


def lines(rule: BandedLookup, scope: Scope) -> str:
    rate, num, den, rate_key = budget_rate(rule, "b")
    return f"""
    WITH budget_rate AS (
        SELECT b.dept_code, {num} AS numerator, {den} AS denominator, {rate} AS rate_pct
        FROM stg_budget b JOIN scope USING (dept_code)),
    banded AS (SELECT *, {band_lookup(rule.bands, "rate_pct")} FROM budget_rate),
    scored AS (
        SELECT b.*, line.*, ROUND(line.weight * coalesce(b.band_share_pct, 0) * 0.01,
                                  {scope.score_places}) AS computed_score
        FROM banded b CROSS JOIN {fixed_line(scope)} line)
    SELECT dept_code, line_code, section, "group", name, weight, line_order,
           '{KIND}' AS rule_kind, computed_score, rate_pct, numerator, denominator,
           band_min_pct, band_share_pct,
           '{rate_key},rate.equals,' || {band_keys()} || ',band_times,{ref_key()}'
               AS explain_keys
    FROM scored"""


def findings(rule: BandedLookup, scope: Scope) -> list[str]:
    return []


def constants(rule: BandedLookup, scope: Scope) -> dict:
    num_col, den_col = rate_columns(rule)
    return {
        "numerator_column": num_col,
        "denominator_column": den_col,
        "lowest_band_pct": min(b.min_pct for b in rule.bands),
    }
