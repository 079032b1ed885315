"""Where the reports go. Department codes and jurisdictions come from the data, so
each one is made a safe, single path component before it names a file or folder."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

# Letters and digits of any script are kept (a Chinese name stays readable); anything
# else, path separators and dots included, becomes "_".
_UNSAFE = re.compile(r"[^\w.-]")
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10))} | {
    f"LPT{i}" for i in range(10)
}
MAX_LEN = 80


def safe_component(value: object) -> str:
    """``value`` as one file or folder name that cannot leave its parent folder.

    A value that needs no change is kept as it is. A changed one gets a short hash of
    the original, so two different codes (``a/b`` and ``a_b``) never share a file.
    """
    text = unicodedata.normalize("NFC", str(value))
    cleaned = _UNSAFE.sub("_", text).lstrip(".")[:MAX_LEN].rstrip(". ")
    if cleaned.upper().split(".")[0] in _WINDOWS_RESERVED:
        cleaned = "_" + cleaned
    if cleaned == text and cleaned:
        return cleaned
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
    return f"{cleaned or '_'}-{digest}"


def jurisdiction_dir(out_dir: Path, year: int, jurisdiction: str) -> Path:
    return Path(out_dir) / str(int(year)) / safe_component(jurisdiction)


def department_file(out_dir: Path, year: int, jurisdiction: str, dept_code: str, ext: str) -> Path:
    folder = jurisdiction_dir(out_dir, year, jurisdiction) / "departments"
    return folder / f"{safe_component(dept_code)}.{ext}"


def summary_file(out_dir: Path, year: int, jurisdiction: str, ext: str) -> Path:
    return jurisdiction_dir(out_dir, year, jurisdiction) / f"summary.{ext}"
