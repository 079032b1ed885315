"""Documents that are not the report asked for: each gets a message naming the file, and
nothing is written."""

from __future__ import annotations

import re

import pytest

from pipelines.intake import IntakeError, intake_report
from pipelines.messages import use
from tests.cli import jixiao
from tests.conftest import RUBRICS
from tests.intake.conftest import FIXTURES, seed_report

SEED_TEXT = seed_report("txt").read_text("utf-8")


def renamed(text: str, **names: str) -> str:
    """``text`` with each name replaced, also where a line break splits it (北京市人民政府
    外事办 / 公室)."""
    for old, new in names.items():
        text = re.sub(r"\s*".join(map(re.escape, old)), new, text)
    return text


def refused(document, raw_dir, year: int = 2023, dept: str = "BJ-FAO") -> str:
    """The English message of the refusal, after checking that nothing changed."""
    target = raw_dir / "2023" / "self_reported.csv"
    before = target.read_bytes()
    with pytest.raises(IntakeError) as caught:
        intake_report(document, year, dept, raw_dir, RUBRICS)
    assert target.read_bytes() == before
    assert [p.name for p in target.parent.iterdir() if p.name.startswith(".")] == []
    with use("en"):
        return str(caught.value)


def test_an_empty_text_file(raw_dir, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert refused(empty, raw_dir) == (
        f"{empty}: the file holds no text (empty, or a scanned PDF without a text layer); "
        "nothing written"
    )


def test_an_empty_word_document(raw_dir, tmp_path):
    import docx

    empty = tmp_path / "empty.docx"
    docx.Document().save(empty)
    assert refused(empty, raw_dir).startswith(f"{empty}: the file holds no text")


def test_a_pdf_without_a_text_layer(raw_dir):
    blank = FIXTURES / "blank.pdf"
    assert refused(blank, raw_dir).startswith(f"{blank}: the file holds no text")


def test_an_encrypted_pdf(raw_dir):
    locked = FIXTURES / "encrypted.pdf"
    assert refused(locked, raw_dir) == (
        f"{locked}: the PDF is encrypted and needs a password (PDFPasswordIncorrect); send an "
        "unencrypted file. Nothing written"
    )


def test_a_document_that_is_not_a_report(raw_dir, tmp_path):
    letter = tmp_path / "letter.txt"
    letter.write_text(
        "北京市人民政府外事办公室：\n\n现将 2023 年度工作安排通知如下，请各处室认真落实。\n",
        "utf-8",
    )
    assert refused(letter, raw_dir) == (
        f"{letter}: not a self-evaluation report: no total score, section score or "
        "scoring-table score found; nothing written"
    )


def test_a_report_of_another_year(raw_dir, tmp_path):
    other = tmp_path / "2022.txt"
    other.write_text(SEED_TEXT.replace("2023", "2022"), "utf-8")
    # the seed writes its year 8 times; now 2022 is written 9 times, 2023 never
    assert refused(other, raw_dir) == (
        f"{other}: the report is for 2022 (written 9 times), not 2023; nothing written"
    )


def test_a_report_of_another_department(raw_dir, tmp_path):
    other = tmp_path / "other.txt"
    other.write_text(
        renamed(SEED_TEXT, 北京市人民政府外事办公室="示例部门001", 市外办="示例部门001"), "utf-8"
    )
    assert refused(other, raw_dir) == (
        f"{other}: the report names SYN-001 示例部门001（合成数据）, not BJ-FAO "
        "(北京市人民政府外事办公室（市外办）); nothing written"
    )


def test_a_report_that_names_no_department(raw_dir, tmp_path):
    other = tmp_path / "nameless.txt"
    other.write_text(
        renamed(SEED_TEXT, 北京市人民政府外事办公室="本单位", 市外办="本单位"), "utf-8"
    )
    assert refused(other, raw_dir) == (
        f"{other}: the report never names department BJ-FAO (looked for: "
        "北京市人民政府外事办公室（市外办）, 北京市人民政府外事办公室, 市外办); nothing written"
    )


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        (
            "report.doc",
            b"\xd0\xcf\x11\xe0",
            "cannot read '.doc' files (it reads .txt, .docx, .pdf)",
        ),
        ("broken.docx", b"PK not really", "cannot be read as Word (.docx) (PackageNotFoundError"),
        ("broken.pdf", b"%PDF-1.4 nothing else", "cannot be read as PDF ("),
        ("neither.txt", b"\x81\x30\xff\xff", "the text is neither UTF-8 nor GBK"),
        ("half-utf16.txt", b"\xff\xfe\x41", "the text is neither UTF-8 nor GBK"),
    ],
)
def test_files_that_cannot_be_read(raw_dir, tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_bytes(content)
    assert refused(path, raw_dir).startswith(f"{path}: {expected}")


def test_a_missing_file_and_an_unknown_department(raw_dir, tmp_path):
    assert refused(tmp_path / "nowhere.pdf", raw_dir) == f"{tmp_path / 'nowhere.pdf'}: no such file"
    csv = raw_dir / "2023" / "departments.csv"
    assert (
        refused(seed_report("txt"), raw_dir, dept="NO-SUCH") == f"{csv} has no department NO-SUCH"
    )


def test_the_command_says_it_in_chinese_and_exits_1(raw_dir):
    locked = FIXTURES / "encrypted.pdf"
    target = raw_dir / "2023" / "self_reported.csv"
    before = target.read_bytes()
    done = jixiao(
        "intake", "report", locked, "--year", 2023, "--dept", "BJ-FAO", "--raw-dir", raw_dir
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr == (
        f"jixiao：{locked}：PDF 已加密，须输入密码才能读取（PDFPasswordIncorrect）；"
        "请提供未加密的文件。未写入任何内容\n"
    )
    assert target.read_bytes() == before
