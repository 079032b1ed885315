"""The text of each format: encodings of a .txt, a Word table's rows, a PDF's text layer
with its radicals folded."""

from __future__ import annotations

import codecs

import pytest

from pipelines.intake.flatten import flatten
from pipelines.intake.formats import document_text
from pipelines.intake.rules import rules
from tests.intake.conftest import seed_report

SEED = seed_report("txt").read_text("utf-8")


@pytest.mark.parametrize(
    ("name", "encode"),
    [
        ("gbk.txt", lambda t: t.encode("gbk")),
        ("bom.txt", lambda t: codecs.BOM_UTF8 + t.encode("utf-8")),
        ("notepad.txt", lambda t: t.encode("utf-16")),  # with its BOM
    ],
)
def test_a_text_file_in_any_of_its_encodings(tmp_path, name, encode):
    path = tmp_path / name
    path.write_bytes(encode(SEED))
    assert document_text(path) == SEED


def test_a_word_tables_rows_are_lines_of_their_cells():
    text = document_text(seed_report("docx"))
    # the 结论一览表 is a real table in the .docx; 优 spans two cells of its last row
    assert "\n当年预算执行情况 20.00 18.83\n" in text
    assert "\n绩效评定级别 优\n" in text
    assert "- 1 -" not in text  # the footer's page number


def test_a_pdfs_text_layer_reads_as_the_seed_once_flattened():
    layout = rules().layout
    layer = document_text(seed_report("pdf"))
    assert "⻔" in layer  # as the text layer gives 门
    pdf = flatten(layer, layout).text
    assert "年末收支结转和结余 1132.39 万元" in pdf
    assert "部门预决算差异率（4） 18.6213.01% % 4.00 4.00" in pdf
    # the same sentences as the seed's own text, whatever the lines and pages, but for
    # one dash the font draws alike (― U+2015 for — U+2014)
    txt = flatten(SEED, layout).text
    assert pdf.replace(" ", "").replace("―", "—") == txt.replace(" ", "")
