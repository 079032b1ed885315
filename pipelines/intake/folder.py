"""A year's folder of documents, read in one go: ``documents/<year>/<dept_code>.<ext>``.

What ``jixiao intake report`` does for one document, done for each document of the
folder (file name order), each department's rows written into
``<raw>/<year>/self_reported.csv``. A document that is refused changes nothing and the
others go on; what could not be read as one number is listed with its sentence. The
Dagster asset ``department_documents`` runs this before the year's extracts are read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pipelines.intake.errors import IntakeError
from pipelines.intake.formats import READERS
from pipelines.intake.report import Intake, intake_report
from pipelines.messages import Message


@dataclass(frozen=True)
class Unreadable:
    """A figure printed as something that is not one number (the seed's 18.6213.01% %)."""

    target: str  # kind:key, e.g. rate:budget_final_diff
    printed: str
    quote: str


@dataclass(frozen=True)
class DocumentOutcome:
    document: Path
    dept_code: str
    figures: int = 0  # figures written as rows
    unreadable: list[Unreadable] = field(default_factory=list)
    refused: Message | None = None  # why nothing was written

    @property
    def ok(self) -> bool:
        return self.refused is None


def documents(documents_dir: Path, year: int) -> list[Path]:
    """The documents of ``year``: files whose format intake reads, by name."""
    folder = Path(documents_dir) / str(int(year))
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in READERS)


def intake_folder(
    documents_dir: Path, year: int, raw_dir: Path, rubrics_dir: Path
) -> list[DocumentOutcome]:
    """Read every document of ``year`` into the raw extracts; one outcome per document."""
    out = []
    for document in documents(documents_dir, year):
        dept = document.stem  # the file is named after the department it speaks for
        try:
            done = intake_report(document, year, dept, raw_dir, rubrics_dir)
        except IntakeError as exc:
            out.append(DocumentOutcome(document, dept, refused=exc.reason))
            continue
        out.append(_outcome(done, dept))
    return out


def _outcome(done: Intake, dept: str) -> DocumentOutcome:
    unreadable = [
        Unreadable(f"{m.target.kind}:{m.target.key}", m.printed, m.quote)
        for figure in done.figures.values()
        for m in figure.unreadable
    ]
    return DocumentOutcome(done.document, dept, len(done.rows), unreadable)
