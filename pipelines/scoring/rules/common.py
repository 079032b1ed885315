"""What several rule kinds share: the fixed line's row, the rate of two budget amounts,
a band lookup, and the last template of every derivation (the rubric line cited)."""

from __future__ import annotations

from pipelines.rubric.rules import LookupBand, StepDeduction
from pipelines.scoring.rules import Scope
from pipelines.scoring.sql import ident, lit


def ref_key() -> str:
    return "ref"


def fixed_line(scope: Scope) -> str:
    """The rubric's row of the fixed line being scored (line_code, section, group, name,
    weight, line_order), as a relation to cross join."""
    return f"(SELECT * FROM rubric_lines WHERE line_code = '{ident(scope.line.code)}')"


def budget_rate(rule: StepDeduction, alias: str) -> tuple[str, str, str, str]:
    """(rate SQL in %, numerator SQL, denominator SQL, derivation template key) of a
    share or relative-change rate over the budget row ``alias``. For a relative change,
    the numerator is the value and the denominator the base."""
    r = rule.rate
    if r.kind == "share":
        n, d = f"{alias}.{ident(r.numerator)}", f"{alias}.{ident(r.denominator)}"
        return f"jx_pct({n}, {d})", n, d, "rate.share"
    v, b = f"{alias}.{ident(r.value)}", f"{alias}.{ident(r.base)}"
    if r.absolute:
        return f"jx_pct(abs({v} - {b}), {b})", v, b, "rate.abs_change"
    return f"jx_pct({v} - {b}, {b})", v, b, "rate.change"


def rate_columns(rule: StepDeduction) -> tuple[str, str]:
    """The budget columns a rate divides: (numerator or value, denominator or base)."""
    r = rule.rate
    return (r.numerator, r.denominator) if r.kind == "share" else (r.value, r.base)


def band_lookup(bands: list[LookupBand], rate: str) -> str:
    """Select items: the band reached by ``rate`` (its edge, edge included, and share;
    NULL below every band)."""
    top_first = sorted(bands, key=lambda b: b.min_pct, reverse=True)
    share = " ".join(f"WHEN {rate} >= {lit(b.min_pct)} THEN {lit(b.share_pct)}" for b in top_first)
    edge = " ".join(f"WHEN {rate} >= {lit(b.min_pct)} THEN {lit(b.min_pct)}" for b in top_first)
    return f"CASE {edge} END AS band_min_pct, CASE {share} END AS band_share_pct"


def band_keys() -> str:
    """SQL: the template key of the band reached (given band_min_pct)."""
    return "CASE WHEN band_min_pct IS NULL THEN 'band.below' ELSE 'band.reached' END"
