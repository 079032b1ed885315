"""A lookup of a rate in rising bands (edge included), shared by the banded kinds."""

from pipelines.rubric.rules import LookupBand
from pipelines.scoring.sql import lit


def band_share(bands: list[LookupBand], rate: str) -> tuple[str, str]:
    """(SQL of the share in %, SQL of the band's lower edge) for the highest band reached;
    below every band: share 0 and edge NULL."""
    top_first = sorted(bands, key=lambda b: b.min_pct, reverse=True)
    share = " ".join(f"WHEN {rate} >= {lit(b.min_pct)} THEN {lit(b.share_pct)}" for b in top_first)
    edge = " ".join(f"WHEN {rate} >= {lit(b.min_pct)} THEN {lit(b.min_pct)}" for b in top_first)
    return f"CASE {share} ELSE CAST(0 AS DECIMAL(18,4)) END", f"CASE {edge} END"


def explain_band(bands: list[LookupBand]) -> str:
    """SQL text for the band reached, given columns ``share`` and ``edge``."""
    lowest = lit(min(b.min_pct for b in bands))
    return (
        "CASE WHEN edge IS NULL THEN 'below the lowest band (' || jx_num("
        + lowest
        + ") || '%): 0%' ELSE 'band ≥ ' || jx_num(edge) || '%: ' || jx_num(share) || '%' END"
    )
