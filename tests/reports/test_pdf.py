"""PDF copies: printed when Chromium and a CJK font are installed, else skipped with
a message naming what is missing and how to install it."""

import logging

import pytest

from pipelines.messages import use
from pipelines.reports import ReportError, build_reports, pdf


def test_pdf_of_one_department(warehouse, tmp_path):
    reason = pdf.unavailable_reason()
    if reason:
        assert "apt-get install chromium fonts-noto-cjk" in reason
        pytest.skip(reason)
    written = build_reports(warehouse, 2023, tmp_path, ("html",), pdf=True, depts=["BJ-FAO"])
    pdfs = [p for p in written if p.suffix == ".pdf"]
    assert {p.name for p in pdfs} == {"BJ-FAO.pdf", "summary.pdf"}
    for p in pdfs:
        assert p.read_bytes().startswith(b"%PDF")
        assert p.stat().st_size > 20_000


def test_without_chromium_pdf_is_skipped_with_the_install_hint(
    warehouse, tmp_path, monkeypatch, caplog
):
    monkeypatch.setattr(pdf, "find_browser", lambda: None)
    reason = pdf.unavailable_reason()
    assert reason.startswith("未生成 PDF：缺少Chromium")
    assert "apt-get install chromium fonts-noto-cjk" in reason
    with caplog.at_level(logging.WARNING):
        written = build_reports(warehouse, 2023, tmp_path, ("html",), pdf=True, depts=["BJ-FAO"])
    assert not [p for p in written if p.suffix == ".pdf"]
    assert reason in caplog.text


def test_without_a_cjk_font_pdf_is_skipped(monkeypatch):
    monkeypatch.setattr(pdf, "has_cjk_font", lambda: False)
    reason = pdf.unavailable_reason()
    assert "中文（CJK）字体" in reason and "fonts-noto-cjk" in reason


def test_the_reason_in_english_on_request(monkeypatch):
    monkeypatch.setattr(pdf, "has_cjk_font", lambda: False)
    with use("en"):
        assert "a Chinese (CJK) font" in pdf.unavailable_reason()


def test_pdf_needs_the_html_format(warehouse, tmp_path):
    with pytest.raises(ReportError, match="html"):
        build_reports(warehouse, 2023, tmp_path, ("md",), pdf=True)
