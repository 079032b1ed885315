"""A ``.docx`` report (python-docx): the body's paragraphs and tables in document order,
a table row as one line of its cells. Headers and footers (page numbers) are left out."""

from __future__ import annotations

import zipfile
from pathlib import Path

from pipelines.intake.errors import IntakeError


def read(path: Path) -> str:
    import docx  # python-docx; imported here so other formats do not pay for it
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        # an encrypted .docx is an OLE file, not a zip: it lands here too
        raise IntakeError("unreadable", file=path, format="Word (.docx)", error=_why(exc)) from None
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Table):
            lines.extend(_rows(block))
    return "\n".join(lines)


def _rows(table) -> list[str]:
    out = []
    for row in table.rows:
        cells: list[str] = []
        last = None
        for cell in row.cells:
            if cell._tc is last:  # a merged cell is returned once per grid column it spans
                continue
            last = cell._tc
            cells.append(" ".join(cell.text.split()))
        out.append(" ".join(c for c in cells if c))
    return out


def _why(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}".strip().rstrip(":")
