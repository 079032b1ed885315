"""Is this the report asked for? Its fiscal year and the department it names."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from pipelines.intake.department import Department
from pipelines.intake.errors import IntakeError, Listing
from pipelines.intake.flatten import Flat
from pipelines.intake.rules import Rules


def check_year(document: Path, flat: Flat, rules: Rules, year: int) -> None:
    """The year the report writes most often must be ``year`` (a tie with it passes)."""
    years = Counter(int(m[1]) for m in rules.year.finditer(flat.text))
    if not years:
        return  # a report that writes no year cannot be told apart: the option decides
    top = max(years.values())
    if years[year] < top:
        found = min(y for y, n in years.items() if n == top)
        raise IntakeError("wrong_year", file=document, found=found, count=top, year=year)


def check_department(document: Path, flat: Flat, dept: Department) -> None:
    """The report names the department; one that names only others is theirs."""
    text = re.sub(r"\s", "", flat.text)
    if any(name in text for name in dept.known_as):
        return
    others = sorted(code for code, names in dept.others.items() if any(n in text for n in names))
    if others:
        named = Listing(f"{code} {dept.others[code][0]}" for code in others)
        raise IntakeError(
            "other_department", file=document, dept=dept.code, name=dept.name, others=named
        )
    names = Listing(dept.known_as or [dept.name])
    raise IntakeError("department_not_named", file=document, dept=dept.code, names=names)
