"""``jixiao whatif``: a year scored under another rubric, beside the official scores."""

from __future__ import annotations

import argparse
import uuid

EPILOG = """\
examples:
  jixiao whatif --year 2024 --rubric beijing/2023
  jixiao whatif --year 2023 --rubric beijing/2023 --scenario lower-average \\
      --set sections.budget_management.lines.budget_final_diff.rule.baseline.value_pct=20

The scenario's rows go to scenario_department_scores and scenario_line_scores
(compare in v_scenario_changes); the official tables are never written.
"""


def add_parser(sub) -> None:
    from pipelines.cli import add_paths

    p = sub.add_parser(
        "whatif",
        help="score a year under another rubric or changed parameters, as a scenario",
        description="Score a year's staged extracts under RUBRIC (a file or an id such as "
        "beijing/2023), optionally with --set changes, into a named scenario; print the "
        "score and rank changes per department against the official run.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--rubric", required=True, metavar="RUBRIC")
    p.add_argument(
        "--set",
        action="append",
        default=[],
        dest="sets",
        metavar="KEY=VALUE",
        help="change one rubric parameter by its key path; repeat for several",
    )
    p.add_argument(
        "--scenario", metavar="NAME", help="scenario name (default: the rubric id and changes)"
    )
    add_paths(p)
    p.set_defaults(handler=handle)


def scenario_name(rubric: str, sets: list[str]) -> str:
    return " ".join([rubric, *sets])


def handle(args: argparse.Namespace) -> int:
    from pipelines.cli import fail
    from pipelines.rubric import RubricError
    from pipelines.rubric.library import RubricInUse
    from pipelines.rubric.load import content_hash, load_variant
    from pipelines.warehouse.lock import writer_lock
    from pipelines.warehouse.publish import ensure_working, publish, working_path
    from pipelines.warehouse.scenario import NoOfficialScores, score_scenario
    from pipelines.warehouse.write import connect

    try:
        rubric = load_variant(args.rubric, args.rubrics_dir, args.sets)
    except RubricError as exc:
        return fail(str(exc))
    scenario = args.scenario or scenario_name(args.rubric, args.sets)
    with connect(ensure_working(args.warehouse)) as con:
        try:
            changes = score_scenario(
                con,
                args.year,
                RubricInUse(rubric, content_hash(rubric)),
                scenario,
                uuid.uuid4().hex,
                "; ".join(args.sets),
            )
        except NoOfficialScores as exc:
            return fail(str(exc))
    with writer_lock(working_path(args.warehouse)):
        publish(args.warehouse)
    print(f"scenario {scenario!r}: {args.year} under {rubric.id}, {len(changes)} department(s)")
    print(format_changes(changes))
    return 0


def format_changes(changes) -> str:
    moved = changes[(changes["total_change"] != 0) | (changes["rank_change"] != 0)]
    if moved.empty:
        return "no department's total or rank changed"
    rows = [f"{'dept':<10} {'official':>9} {'scenario':>9} {'change':>7}  {'rank':>9}  grade"]
    for r in moved.itertuples(index=False):
        rank = f"{r.official_rank}→{r.scenario_rank}"
        grade = (
            r.official_grade
            if r.official_grade == r.scenario_grade
            else (f"{r.official_grade}→{r.scenario_grade}")
        )
        rows.append(
            f"{r.dept_code:<10} {r.official_total:>9.2f} {r.scenario_total:>9.2f} "
            f"{r.total_change:>+7.2f}  {rank:>9}  {grade}"
        )
    unchanged = len(changes) - len(moved)
    return "\n".join([*rows, f"({unchanged} department(s) unchanged)"])
