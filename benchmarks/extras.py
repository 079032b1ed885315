"""Two timings beside the size table: one bundled year through Dagster, and N
department HTML reports.

    python -m benchmarks.extras reports WAREHOUSE YEAR OUT_DIR
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.child import report


def dagster_year(raw_dir: Path, year: int) -> float:
    """Wall time of ``jixiao run --year`` (every asset, check and report of the year, in
    Dagster, from a fresh process) on a scratch warehouse and Dagster home."""
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DAGSTER_HOME": tmp, "CI": "1"}
        start = time.perf_counter()
        subprocess.run(
            [Path(sys.executable).with_name("jixiao"), "run", "--raw-dir", str(raw_dir),
             "--year", str(year), "--warehouse", f"{tmp}/w.duckdb", "--reports-dir",
             f"{tmp}/reports"],
            check=True, capture_output=True, env=env,
        )  # fmt: skip
        return time.perf_counter() - start


def html_reports(warehouse: Path, year: int, out_dir: Path) -> tuple[float, int]:
    from pipelines.reports import build_reports

    start = time.perf_counter()
    written = build_reports(warehouse, year, out_dir, formats=("html",))
    pages = sum(1 for p in written if p.parent.name == "departments")
    return time.perf_counter() - start, pages


if __name__ == "__main__":
    warehouse, year, out = sys.argv[1:]
    seconds, pages = html_reports(Path(warehouse), int(year), Path(out))
    report(seconds={"html reports": seconds}, pages=pages)
