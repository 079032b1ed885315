"""One Markdown table row per size, from the measurements of ``benchmarks.__main__``.

Stages: ingest + validate = read + stage + copy the staged rows into the warehouse;
score = the scoring SQL (“engine”) + writing scores, findings and refusals. Ratios:
“× faster” = the reference's seconds ÷ the pipeline's; “÷ floor” = the pipeline's
seconds ÷ the floor's (1.0 would be as fast as a bare weighted sum).
"""

from __future__ import annotations

COLUMNS = [
    "units × lines × years",
    "line rows",
    "ingest + validate s",
    "score s (engine)",
    "rank s",
    "publish s",
    "total s",
    "line rows/s",
    "peak MiB",
    "row-by-row s (score)",
    "row-by-row disagrees",
    "floor s (score)",
    "end to end: × faster than row-by-row",
    "end to end: ÷ floor",
    "scoring: × faster than row-by-row",
    "scoring: ÷ floor",
]
HEADER = "| " + " | ".join(COLUMNS) + " |\n|" + "---|" * len(COLUMNS)


def row(result: dict) -> str:
    size, s = result["size"], result["ours"]["seconds"]
    ingest = s["read"] + s["stage"] + s.get("write staged rows", 0)
    engine = s.get("score", 0)
    score = engine + s.get("write scores", 0)
    total = ingest + score + s["rank"] + s["publish"]
    floor_score = result["floor_score"]["seconds"]["score"]
    floor_e2e = result["floor_end_to_end"]["seconds"]["end to end"]
    ref = result.get("reference")
    ref_total = sum(ref["seconds"].values()) if ref else None
    ref_score = ref["seconds"]["score"] if ref else None
    cells = [
        f"{size['units']:,} × {size['lines']} × {size['years']}",
        f"{result['ours']['line_rows']:,}",
        f"{ingest:.1f}",
        f"{score:.1f} ({engine:.1f})",
        f"{s['rank']:.1f}",
        f"{s['publish']:.1f}",
        f"{total:.1f}",
        f"{result['ours']['line_rows'] / total:,.0f}",
        f"{result['ours']['peak_mib']:,}",
        f"{ref_total:.1f} ({ref_score:.1f})" if ref else "–",
        f"{ref['disagreements']}" if ref else "–",
        f"{floor_e2e:.2f} ({floor_score:.2f})",
        f"{ref_total / total:.1f}×" if ref else "–",
        f"{total / floor_e2e:.0f}",
        f"{ref_score / engine:.1f}×" if ref else "–",
        f"{engine / floor_score:.0f}",
    ]
    return "| " + " | ".join(cells) + " |"
