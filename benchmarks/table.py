"""One Markdown table row per size, from the measurements of ``benchmarks.__main__``,
and one row per year of the command.

Stages: ingest + validate = read + stage + copy the staged rows into the warehouse;
score = the scoring SQL (“engine”) + writing scores, findings and refusals. The
command: ``jixiao run --year Y --no-reports`` once per year, wall time added up, as a
user runs it (Python's and Dagster's start, the asset checks and Great Expectations
included); its peak is its largest process's, then the sampled sum of its processes
(“tree”). Ratios: “× faster” = the row-by-row reference's seconds ÷ the pipeline's;
“÷ set-based” = the pipeline's seconds (or the command's) ÷ those of the set-based
reference end to end (``benchmarks.set_based``: the same scores in plain DuckDB SQL,
without the checks, facts and refusals; 1.0 would be as fast as it), measured right
after the command. The "disagrees" columns count departments whose total or grade differ.
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
    "jixiao run s",
    "jixiao run peak MiB (tree)",
    "jixiao run ÷ set-based",
    "jixiao run disagrees",
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
    command = result.get("command")
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
        *_command_cells(command, set_e2e),
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


def _command_cells(command: dict | None, set_e2e: float) -> list[str]:
    if command is None:
        return ["–"] * 4
    if not command["ok"]:
        failed = command["years"][-1]
        return [f"failed in {failed['year']} (exit {failed['returncode']})", "–", "–", "–"]
    tree = command["tree_peak_mib"]
    return [
        f"{command['seconds']:.1f}",
        f"{command['peak_mib']:,} ({tree:,})" if tree else f"{command['peak_mib']:,}",
        f"{command['seconds'] / set_e2e:.1f}",
        f"{command['disagreements']}",
    ]


YEAR_COLUMNS = [
    "units × lines × years",
    "year",
    "departments held before",
    "jixiao run s",
    "peak MiB",
    "tree peak MiB",
    "scored",
    "refused rows",
    "departments with a finding",
]
YEARS_HEADER = "| " + " | ".join(YEAR_COLUMNS) + " |\n|" + "---|" * len(YEAR_COLUMNS)


def year_rows(result: dict) -> list[str]:
    """One row per year the command ran, so that a year's cost can be read against the
    years the warehouse already held."""
    size, command = result["size"], result.get("command")
    if command is None:
        return []
    rows = []
    for y in command["years"]:
        ok = y["returncode"] == 0
        held = y["departments_held"] - y["scored"] if ok else None
        cells = [
            f"{size['units']:,} × {size['lines']} × {size['years']}",
            str(y["year"]),
            f"{held:,}" if ok else "–",
            f"{y['seconds']:.1f}"
            if ok
            else f"failed (exit {y['returncode']}) after {y['seconds']:.1f}",
            f"{y['peak_mib']:,}",
            f"{y['tree_peak_mib']:,}" if y["tree_peak_mib"] is not None else "–",
            f"{y['scored']:,}" if ok else "–",
            f"{y['refused_rows']:,}" if ok else "–",
            f"{y['departments_with_findings']:,}" if ok else "–",
        ]
        rows.append("| " + " | ".join(cells) + " |")
    return rows
