"""One Markdown table row per size, from the measurements of ``benchmarks.__main__``.

Stages: ingest + validate = read + stage + copy the staged rows into the warehouse;
score = the scoring SQL (“engine”) + writing scores, findings and refusals. Ratios:
“× faster” = the row-by-row reference's seconds ÷ the pipeline's; “÷ set-based” = the
pipeline's seconds ÷ those of the set-based reference (``benchmarks.set_based``: the
same scores in plain DuckDB SQL, without the checks, facts and refusals; 1.0 would be as
fast as it). The "disagrees" columns count departments whose total or grade differ.
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
    "set-based s (score)",
    "set-based disagrees",
    "end to end: × faster than row-by-row",
    "end to end: ÷ set-based",
    "scoring: × faster than row-by-row",
    "scoring: ÷ set-based",
]
HEADER = "| " + " | ".join(COLUMNS) + " |\n|" + "---|" * len(COLUMNS)


def row(result: dict) -> str:
    size, s = result["size"], result["ours"]["seconds"]
    ingest = s["read"] + s["stage"] + s.get("write staged rows", 0)
    engine = s.get("score", 0)
    score = engine + s.get("write scores", 0)
    total = ingest + score + s["rank"] + s["publish"]
    set_based = result["set_based"]
    set_score, set_e2e = set_based["seconds"]["score"], set_based["seconds"]["end to end"]
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
        f"{set_e2e:.2f} ({set_score:.2f})",
        f"{set_based['disagreements']}",
        f"{ref_total / total:.1f}×" if ref else "–",
        f"{total / set_e2e:.1f}",
        f"{ref_score / engine:.1f}×" if ref else "–",
        f"{engine / set_score:.1f}",
    ]
    return "| " + " | ".join(cells) + " |"
