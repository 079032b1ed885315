"""Codes and jurisdictions from the data cannot steer where a report is written."""

import pytest

from pipelines.reports.paths import department_file, safe_component, summary_file

NASTY = ["../x", "../../etc/passwd", "a/b", "a\\b", "<script>", "..", ".", "", " ", "CON",
         "nul.txt", "a\x00b", "/abs", "~", "x" * 500, "é/../", ".hidden"]  # fmt: skip


@pytest.mark.parametrize("value", NASTY)
def test_a_nasty_value_becomes_one_harmless_name(value, tmp_path):
    name = safe_component(value)
    assert name and name not in {".", ".."}
    assert not set(name) & set('/\\<>:"|?*\x00')
    assert not name.startswith(".")
    assert len(name) <= 100
    assert (tmp_path / name).resolve().parent == tmp_path.resolve()


def test_clean_values_are_kept():
    for value in ["BJ-FAO", "SYN-001", "beijing", "市外办", "a_b", "v1.2"]:
        assert safe_component(value) == value


def test_different_values_never_share_a_name():
    values = ["a/b", "a_b", "a\\b", "a b", "a:b"]
    assert len({safe_component(v) for v in values}) == len(values)


def test_report_paths_stay_under_the_output_folder(tmp_path):
    for code in NASTY:
        path = department_file(tmp_path, 2023, "../../up", code, "html").resolve()
        assert path.is_relative_to(tmp_path.resolve())
        assert path.parent.name == "departments"
    assert summary_file(tmp_path, 2023, "a/../../b", "xlsx").resolve().is_relative_to(tmp_path)
