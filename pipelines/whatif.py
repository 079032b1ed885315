"""What-if, as `jixiao whatif` and the Dagster ``whatif`` job both run it.

A rubric (file or id) with ``key.path=value`` changes, scored for a year into a named
scenario, and the departments whose total or rank moved, as a table in the current
language. Knows nothing of the command line.

Scored as ``pipelines.annual`` scores a year: inside the scenario's transaction the
year's staged rows are bound as scoring's inputs, scored, and what scoring returned is
stored (``pipelines.warehouse.scenario``, which only stores and reads).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipelines.messages import say
from pipelines.rubric.library import RubricInUse
from pipelines.rubric.load import content_hash, load_variant
from pipelines.scoring import inputs
from pipelines.scoring.engine import score_year
from pipelines.warehouse.scenario import (
    scenario_changes,
    scenario_transaction,
    store_scenario,
    unscored_departments,
)


@dataclass(frozen=True)
class Scenario:
    """What a scenario run produced: its name, the rubric used and the changes per
    department (``v_scenario_changes``, the largest change first)."""

    name: str
    year: int
    rubric_id: str
    changes: pd.DataFrame

    @property
    def moved(self) -> pd.DataFrame:
        return moved(self.changes)

    def heading(self) -> str:
        return say(
            "cli.whatif.heading",
            scenario=self.name,
            year=self.year,
            rubric=self.rubric_id,
            n=len(self.changes),
        )

    def summary(self) -> str:
        """One line: how many departments changed (the Dagster job's log)."""
        return say("cli.whatif.log", scenario=self.name, moved=len(self.moved), n=len(self.changes))


def scenario_name(rubric: str, sets: list[str]) -> str:
    """The default name of a scenario: the rubric as given and its changes."""
    return " ".join([rubric, *sets])


def variant(ref: str | Path, rubrics_dir: Path | str, sets: list[str] = ()) -> RubricInUse:
    """The rubric ``ref`` with ``sets`` applied (raises ``RubricError``)."""
    rubric = load_variant(ref, rubrics_dir, list(sets))
    return RubricInUse(rubric, content_hash(rubric))


def run(
    con,
    year: int,
    used: RubricInUse,
    run_id: str,
    sets: list[str] = (),
    scenario: str | None = None,
    ref: str | None = None,
) -> Scenario:
    """Score ``year`` under ``used`` as the scenario ``scenario`` (default: ``ref`` and
    ``sets``); raises ``NoOfficialScores`` when the year has no official scores."""
    name = scenario or scenario_name(ref or used.rubric.id, list(sets))
    with scenario_transaction(con, name, year):
        # the departments the official run could not score stay unscored here too
        inputs.bind(con, year, unscored_departments(con, year))
        score_year(con, year, [used])
        store_scenario(con, name, year, used, run_id, "; ".join(sets))
    return Scenario(name, year, used.rubric.id, scenario_changes(con, name, year))


def moved(changes: pd.DataFrame) -> pd.DataFrame:
    return changes[(changes["total_change"] != 0) | (changes["rank_change"] != 0)]


def table(changes: pd.DataFrame) -> str:
    """The departments whose total or rank changed, one row each, then how many did not."""
    rows = moved(changes)
    if rows.empty:
        return say("cli.whatif.no_change")
    head = {k: say(f"cli.whatif.{k}") for k in ("dept", "official", "scenario_total", "change")}
    out = [
        f"{_pad(head['dept'], 10)} {_pad(head['official'], 9, True)} "
        f"{_pad(head['scenario_total'], 9, True)} {_pad(head['change'], 7, True)}  "
        f"{_pad(say('cli.whatif.rank'), 9, True)}  {say('cli.whatif.grade')}"
    ]
    for r in rows.itertuples(index=False):
        rank = f"{r.official_rank}→{r.scenario_rank}"
        grade = (
            r.official_grade
            if r.official_grade == r.scenario_grade
            else f"{r.official_grade}→{r.scenario_grade}"
        )
        out.append(
            f"{_pad(r.dept_code, 10)} {r.official_total:>9.2f} {r.scenario_total:>9.2f} "
            f"{r.total_change:>+7.2f}  {rank:>9}  {grade}"
        )
    out.append(say("cli.whatif.unchanged", n=len(changes) - len(rows)))
    return "\n".join(out)


def _pad(text: str, width: int, right: bool = False) -> str:
    """``text`` padded to ``width`` terminal columns (a Chinese character takes two)."""
    cols = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in str(text))
    fill = " " * max(width - cols, 0)
    return f"{fill}{text}" if right else f"{text}{fill}"
