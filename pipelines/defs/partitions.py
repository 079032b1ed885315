"""Jurisdiction × fiscal year: the Dagster partitions of the annual assets.

A partition is one jurisdiction's part of one year, keyed ``beijing|2023`` (Dagster's
multi-partition key: the dimensions' keys joined by ``|``, in the order of the
dimension names). The jurisdictions are the folders of the rubrics directory that
hold a ``<year>.yaml`` (``pipelines.settings.RUBRICS_DIR``, read when the code
location loads): a new city is a new rubric file, not a code change. The years are
the fiscal years from 2015 to the current one.

Partitions of different jurisdictions are independent and can run at the same time;
year N of a jurisdiction compares with N − 1 of the same jurisdiction
(``LAST_YEAR``, mapped on the year dimension only).
"""

from pathlib import Path

import dagster as dg

from pipelines import settings
from pipelines.ingest.read import ReadError, find_extract, read_table
from pipelines.ingest.spec import extract_specs, header_key

JURISDICTION, YEAR = "jurisdiction", "year"

# end_offset=1 keeps the current (open) fiscal year selectable for preliminary runs.
fiscal_years = dg.TimeWindowPartitionsDefinition(
    cron_schedule="0 0 1 1 *", start="2015", fmt="%Y", end_offset=1
)


def jurisdictions(rubrics_dir: Path | str) -> list[str]:
    """The jurisdictions with at least one rubric (``<jurisdiction>/<year>.yaml``)."""
    folder = Path(rubrics_dir)
    if not folder.is_dir():
        return []
    return sorted(
        d.name for d in folder.iterdir() if d.is_dir() and any(d.glob("[0-9][0-9][0-9][0-9].yaml"))
    )


annual_partitions = dg.MultiPartitionsDefinition(
    {
        JURISDICTION: dg.StaticPartitionsDefinition(jurisdictions(settings.RUBRICS_DIR)),
        YEAR: fiscal_years,
    }
)

# Year N of a jurisdiction reads N − 1 of the same jurisdiction (its carryover line).
LAST_YEAR = dg.MultiPartitionMapping(
    {
        YEAR: dg.DimensionPartitionMapping(
            YEAR,
            dg.TimeWindowPartitionMapping(
                start_offset=-1, end_offset=-1, allow_nonexistent_upstream_partitions=True
            ),
        ),
        JURISDICTION: dg.DimensionPartitionMapping(JURISDICTION, dg.IdentityPartitionMapping()),
    }
)


def partition_key(jurisdiction: str, year: int | str) -> dg.MultiPartitionKey:
    return dg.MultiPartitionKey({JURISDICTION: jurisdiction, YEAR: str(year)})


def year_partitions(raw_dir: Path | str, rubrics_dir: Path | str, year: int) -> list[str]:
    """The partitions a run of ``year`` covers: each jurisdiction with a rubric for the
    year that the year's departments file names (every one with a rubric, when the file
    cannot be read: its staging refuses it, in every partition). When none has a rubric
    for the year, the named ones (or, with no departments file, every jurisdiction)
    still run, so that staging says what is missing: the rubric, or the year's files."""
    known = jurisdictions(rubrics_dir)
    with_rubric = [j for j in known if (Path(rubrics_dir) / j / f"{year}.yaml").is_file()]
    named = named_jurisdictions(Path(raw_dir) / str(year))
    chosen = [j for j in with_rubric if named is None or j in named]
    if not chosen:
        chosen = [j for j in known if named and j in named] or with_rubric or known
    return [partition_key(j, year) for j in chosen]


def named_jurisdictions(year_dir: Path) -> set[str] | None:
    """The jurisdictions the departments file(s) of ``year_dir`` name; None when there is
    none or one cannot be read."""
    spec = extract_specs()["departments"]
    column = spec.columns[JURISDICTION]
    wanted = {header_key(h) for h in (column.name, *column.labels)}
    known = {h for c in spec.columns.values() for h in (c.name, *c.labels)}
    paths = find_extract(year_dir, "departments")
    if not paths:
        return None
    named: set[str] = set()
    for path in paths:
        try:
            frame, _ = read_table(path, known)
        except (ReadError, OSError, ValueError):
            return None
        columns = [c for c in frame.columns if header_key(c) in wanted]
        if not columns:
            return None
        named |= {str(v).strip() for v in frame[columns[0]] if str(v).strip()}
    return named
