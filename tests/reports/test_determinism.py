"""The same warehouse gives the same bytes: no build time in any file."""

from pipelines.reports import build_reports


def test_two_builds_are_byte_identical(warehouse, built, tmp_path):
    again = tmp_path / "again"
    build_reports(warehouse, 2023, again)
    first = {p.relative_to(built): p.read_bytes() for p in built.rglob("*") if p.is_file()}
    second = {p.relative_to(again): p.read_bytes() for p in again.rglob("*") if p.is_file()}
    assert first.keys() == second.keys()
    assert {p.suffix for p in first} == {".html", ".xlsx", ".md"}
    changed = [str(p) for p in first if first[p] != second[p]]
    assert not changed
