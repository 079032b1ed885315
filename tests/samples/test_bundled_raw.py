"""The bundled raw/ is exactly what its recorded command generates (nothing edited by hand)."""

import filecmp

from pipelines.samples.__main__ import main
from tests.conftest import RAW, ROOT


def test_bundled_raw_years_regenerate_byte_identical(tmp_path, monkeypatch, capsys):
    command = (
        "python -m pipelines.samples --out raw --years 2022 2023 2024 --departments 40 --seed 2023"
    )
    assert command in (RAW / "README.md").read_text("utf-8")
    args = command.split()[3:]
    args[args.index("raw")] = str(tmp_path)
    monkeypatch.chdir(ROOT)  # where the command is run from (its rubrics/ is relative)
    assert main(args) == 0, capsys.readouterr().err  # as `python -m` calls it
    for year in ("2022", "2023", "2024"):
        cmp = filecmp.dircmp(RAW / year, tmp_path / year)
        assert not cmp.left_only and not cmp.right_only, year
        _, mismatch, errors = filecmp.cmpfiles(
            RAW / year, tmp_path / year, cmp.common_files, shallow=False
        )
        assert mismatch == [] and errors == [], (year, mismatch)
