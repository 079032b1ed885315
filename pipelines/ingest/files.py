"""The files of one year folder, read but not yet judged."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pipelines.ingest.bulk_read import bulk_header
from pipelines.ingest.read import ReadError, find_extract, read_table
from pipelines.ingest.refusals import refusal
from pipelines.ingest.spec import extract_specs
from pipelines.messages import Message


@dataclass
class RawFile:
    extract: str
    name: str  # shown to people: "2023/budget.csv"
    # Text cells, index = row number. For a file of the bulk lane: only its header
    # (no rows); the rows stay in the file until DuckDB stages them.
    frame: pd.DataFrame | None = None
    encoding: str | None = None
    error: Message | None = None  # why the file is refused whole (a refusal)
    bulk: Path | None = None  # the file, when it takes the bulk lane
    sha256: str | None = None  # of the file's bytes: which inputs a score came from

    @property
    def rows(self) -> int | None:
        return None if self.frame is None or self.bulk else len(self.frame)


@dataclass
class RawYear:
    year: int
    files: dict[str, RawFile] = field(default_factory=dict)


def read_year(raw_dir: Path, year: int) -> RawYear:
    year_dir = Path(raw_dir) / str(year)
    raw = RawYear(year)
    for name, spec in extract_specs().items():
        paths = find_extract(year_dir, name)
        if not paths:
            if spec.required:
                why = (
                    refusal("file_missing")
                    if year_dir.is_dir()
                    else refusal("no_year_folder", folder=year_dir)
                )
                raw.files[name] = RawFile(name, f"{year}/{name}", error=why)
            continue
        shown = f"{year}/{paths[0].name}"
        digest = file_sha256(paths[0])
        if len(paths) > 1:
            names = ", ".join(p.name for p in paths)
            raw.files[name] = RawFile(name, shown, error=refusal("several_files", files=names))
            continue
        bulk = bulk_header(paths[0])
        if bulk is not None:
            header, encoding = bulk
            raw.files[name] = RawFile(name, shown, header, encoding, bulk=paths[0], sha256=digest)
            continue
        try:
            frame, encoding = read_table(paths[0], set(spec.header_map()))
            raw.files[name] = RawFile(name, shown, frame, encoding, sha256=digest)
        except ReadError as exc:
            raw.files[name] = RawFile(name, shown, error=exc.reason)
    return raw


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
