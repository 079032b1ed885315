"""A ``.txt`` report: the encodings the raw extracts may come in (UTF-8, with or without
BOM, GBK), and UTF-16 with its BOM as Windows Notepad saves it."""

from __future__ import annotations

import codecs
from pathlib import Path

from pipelines.intake.errors import IntakeError


def read(path: Path) -> str:
    data = path.read_bytes()
    if data.startswith(codecs.BOM_UTF8):
        tries = [("utf-8", len(codecs.BOM_UTF8))]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        tries = [("utf-16", 0)]
    else:  # GB18030 is a superset of GBK: what reads as GBK reads the same
        tries = [("utf-8", 0), ("gb18030", 0)]
    for codec, skip in tries:
        try:
            return data[skip:].decode(codec)
        except UnicodeDecodeError as exc:
            error = exc.start + skip
    raise IntakeError("encoding", file=path, byte=error)
