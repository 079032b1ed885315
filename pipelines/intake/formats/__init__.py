"""The text of a report, whatever its format: one module per format.

Each reader returns the document's text as its lines run (paragraphs and table rows
one per line), or raises ``IntakeError`` naming the file. Layout (joined lines, page
numbers, radicals) is ``pipelines.intake.flatten``'s, the same for every format.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pipelines.intake.errors import IntakeError, Listing
from pipelines.intake.formats import pdf, plain, word

READERS: dict[str, Callable[[Path], str]] = {
    ".txt": plain.read,
    ".docx": word.read,
    ".pdf": pdf.read,
}


def document_text(path: Path) -> str:
    """The text of ``path``; an empty document (or a PDF with no text layer) is refused."""
    if not path.is_file():
        raise IntakeError("not_found", file=path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        formats = Listing(READERS)
        raise IntakeError("unsupported", file=path, suffix=path.suffix or "-", formats=formats)
    text = reader(path)
    if not text.strip():
        raise IntakeError("empty", file=path)
    return text
