"""A ``.pdf`` report (pdfminer.six): the text layer, page by page. An encrypted PDF that
needs a password, or one whose text may not be extracted, is refused, never guessed."""

from __future__ import annotations

import logging
from pathlib import Path

from pipelines.intake.errors import IntakeError


def read(path: Path) -> str:
    from pdfminer.high_level import extract_text
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfpage import PDFTextExtractionNotAllowed
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psexceptions import PSException

    # pdfminer logs a warning per glyph it cannot measure (Chromium's CJK subsets): noise
    # for a user who asked for figures
    quiet = logging.getLogger("pdfminer")
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        return extract_text(str(path))
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise IntakeError("encrypted", file=path, error=type(exc).__name__) from None
    except PDFTextExtractionNotAllowed:
        raise IntakeError("encrypted", file=path, error="PDFTextExtractionNotAllowed") from None
    except (PDFSyntaxError, PSException, ValueError, KeyError, TypeError) as exc:
        raise IntakeError(
            "unreadable", file=path, format="PDF", error=f"{type(exc).__name__}: {exc}"
        ) from None
    finally:
        quiet.setLevel(level)
