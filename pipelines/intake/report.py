"""``jixiao intake report``: a published self-evaluation report → the department's
``self_reported`` rows. Every check comes before the one write, so a document that is
refused changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipelines.intake.checks import check_department, check_year
from pipelines.intake.department import Department, load_department
from pipelines.intake.errors import IntakeError
from pipelines.intake.find import Figure, Finder, Target, figures
from pipelines.intake.flatten import flatten
from pipelines.intake.formats import document_text
from pipelines.intake.rows import Unwritten, self_reported_rows
from pipelines.intake.rules import rules
from pipelines.intake.write import Written, replace_department

SCORES = ("total", "section", "line")  # a self-evaluation report states at least one


@dataclass(frozen=True)
class Intake:
    document: Path
    year: int
    department: Department
    figures: dict[Target, Figure]
    rows: list[dict[str, str]]
    unwritten: list[Unwritten]
    written: Written
    dry_run: bool = False

    def missing(self) -> list[Target]:
        """What the rules look for and the report does not state (lines: only the
        rubric's own and the department's declared ones)."""
        r = rules()
        wanted = [
            Target("total", "TOTAL"),
            Target("grade", "TOTAL"),
            *(Target("section", s) for s in self.department.names.sections),
            *(Target("line", c) for c in self.department.names.lines),
            *(Target("rate", c) for c in r.rates),
            *(Target("amount", m) for m in r.amounts),
        ]
        return [t for t in wanted if t not in self.figures]


def intake_report(
    document: Path,
    year: int,
    dept: str,
    raw_dir: Path,
    rubrics_dir: Path,
    dry_run: bool = False,
) -> Intake:
    document = Path(document)
    department = load_department(raw_dir, year, dept, rubrics_dir)
    flat = flatten(document_text(document), rules().layout)
    found = figures(Finder(flat, rules(), department.names).mentions())
    if not any(f.chosen for t, f in found.items() if t.kind in SCORES):
        raise IntakeError("not_a_report", file=document)
    check_year(document, flat, rules(), year)
    check_department(document, flat, department)
    rows, unwritten = self_reported_rows(dept, document, found)
    written = replace_department(raw_dir, year, dept, rows, dry_run)
    return Intake(document, year, department, found, rows, unwritten, written, dry_run)
