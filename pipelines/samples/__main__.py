"""``python -m pipelines.samples``: write synthetic raw extracts shaped by the rubrics."""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

from pipelines.cli import add_rubrics_dir
from pipelines.rubric import RubricError
from pipelines.rubric.library import RubricLibrary
from pipelines.samples.generate import generate
from pipelines.samples.output import FORMATS

EPILOG = """\
examples:
  python -m pipelines.samples --out samples --years 2022 2023 2024 --departments 40
  python -m pipelines.samples --out /tmp/s --years 2023 --departments 200 --seed 7
  python -m pipelines.samples --out /tmp/big --years 2023 --departments 100000 --lines 22 \
      --format parquet --no-seed-department     (2.2 million indicator lines)
  jixiao run --raw-dir samples --warehouse /tmp/samples.duckdb

Each year's shape (declared groups and weights, grades, checklist lines) comes from
rubrics/<jurisdiction>/<year>.yaml: every year needs its rubric file. The same
arguments always write byte-identical files. Departments SYN-001…SYN-004 are the
edge cases (see the README.md written into --out).
"""


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(
        prog="python -m pipelines.samples",
        description="Write deterministic synthetic raw extracts (one folder per year) "
        "in the raw-extract contract's format.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="DIR",
        help="folder to write <year>/ extract folders and README.md into",
    )
    parser.add_argument(
        "--years",
        type=int,
        nargs="+",
        default=[2022, 2023, 2024],
        metavar="YEAR",
        help="fiscal years to generate (default: %(default)s)",
    )
    parser.add_argument(
        "--departments",
        type=int,
        default=40,
        metavar="N",
        help="synthetic departments, at least 4 (default: %(default)s)",
    )
    parser.add_argument(
        "--lines",
        type=int,
        metavar="N",
        help="declared indicator lines per department, spread over the rubric's declared "
        "groups (default: 3–5 per group, drawn); the rubric's own lines come on top",
    )
    parser.add_argument("--seed", type=int, default=2023, help="random seed (default: %(default)s)")
    add_rubrics_dir(parser)
    parser.add_argument(
        "--jurisdiction",
        default="beijing",
        help="rubric family of the departments (default: %(default)s)",
    )
    parser.add_argument(
        "--format",
        dest="fmt",
        choices=FORMATS,
        default="csv",
        help="file format of the extracts (default: %(default)s)",
    )
    parser.add_argument(
        "--no-seed-department",
        dest="seed_department",
        action="store_false",
        help="leave out the real BJ-FAO 2023 rows copied from raw/seed/2023",
    )
    args = parser.parse_args(argv)

    library = RubricLibrary(args.rubrics_dir)
    try:
        summary = generate(
            args.out,
            args.years,
            args.departments,
            lambda year: library.get(args.jurisdiction, year).rubric,
            seed=args.seed,
            include_seed_department=args.seed_department,
            fmt=args.fmt,
            lines=args.lines,
            command="python -m pipelines.samples " + shlex.join(argv),
        )
    except RubricError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except ValueError as exc:
        parser.error(str(exc))
    for year in summary["years"]:
        files = ", ".join(summary["files"][year])
        print(f"{args.out / str(year)}: {len(summary['departments'][year])} departments ({files})")
    print(f"{args.out / 'README.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
