"""The benchmark's inputs: generated raw extracts per size, and a rubric for every year.

The extracts are generated with findings and refused rows at about the rates of real
years (``pipelines.samples --realism``) unless a size is asked clean.

A size is units × lines per unit × years. Lines per unit counts every scored line: the
rubric's own lines (8 in Beijing's) plus the declared indicator lines the generator
writes. The years end in 2024; years without a rubric file in ``rubrics/`` get one in
the benchmark's own rubric folder that extends the nearest real year (marked as such),
so the pipeline sees the same rule kinds every year.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from pipelines.rubric.library import RubricLibrary
from pipelines.samples.generate import SPOILED, generate

LAST_YEAR = 2024
JURISDICTION = "beijing"


@dataclass(frozen=True)
class Size:
    units: int
    lines: int
    years: int
    fmt: str = "csv"
    # findings and refused rows at about the rates of real years (pipelines.samples --realism)
    realism: bool = True

    @property
    def name(self) -> str:
        return f"{self.units}u-{self.lines}l-{self.years}y-{self.fmt}" + "-realism" * self.realism

    @property
    def year_list(self) -> list[int]:
        return list(range(LAST_YEAR - self.years + 1, LAST_YEAR + 1))

    @property
    def line_rows(self) -> int:
        return self.units * self.lines * self.years


def rubrics_for(data_dir: Path, years: list[int], source: Path = Path("rubrics")) -> Path:
    """A rubric folder holding ``source`` and a file for each year it lacks."""
    folder = data_dir / "rubrics"
    shutil.copytree(source, folder, dirs_exist_ok=True)
    real = sorted(int(p.stem) for p in (source / JURISDICTION).glob("*.yaml"))
    for year in years:
        path = folder / JURISDICTION / f"{year}.yaml"
        if path.exists():
            continue
        base = min(real, key=lambda r: abs(r - year))
        path.write_text(
            f"# benchmark only: beijing/{base} under the id of {year}, so that a ten-year\n"
            "# benchmark has a rubric for every year. Not a published rubric.\n"
            f"extends: {JURISDICTION}/{base}\nid: {JURISDICTION}/{year}\nyear: {year}\n"
            f"title: benchmark copy of {JURISDICTION}/{base}\n"
            f"source: benchmarks/sizes.py (a copy of {JURISDICTION}/{base}, not a real rubric)\n",
            encoding="utf-8",
        )
    return folder


def raw_for(size: Size, data_dir: Path, rubrics: Path) -> tuple[Path, float | None]:
    """The size's raw folder (generated unless already there) and the seconds it took."""
    raw = data_dir / size.name
    if (raw / "README.md").exists():
        return raw, None
    library = RubricLibrary(rubrics)
    fixed = len(list(library.get(JURISDICTION, size.year_list[-1]).rubric.fixed_lines()))
    if size.lines <= fixed:
        raise ValueError(f"--lines must exceed the rubric's own {fixed} lines")
    start = time.perf_counter()
    generate(
        raw,
        size.year_list,
        size.units,
        lambda year: library.get(JURISDICTION, year).rubric,
        include_seed_department=False,
        fmt=size.fmt,
        lines=size.lines - fixed,
        realism=size.realism,
    )
    return raw, time.perf_counter() - start


def spoiled(raw: Path) -> Path | None:
    """The rows a realistic size spoiled on purpose (None for a clean size)."""
    path = raw / SPOILED
    return path if path.exists() else None
