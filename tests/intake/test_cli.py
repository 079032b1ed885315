"""`jixiao intake` as a user meets it: help in Chinese by default and in English on
request, and a dry run that lists what it would write."""

from __future__ import annotations

from tests.cli import jixiao
from tests.intake.conftest import seed_report


def test_help_in_chinese_by_default_and_in_english_on_request():
    zh = jixiao("intake", "report", "--help")
    assert zh.returncode == 0
    text = "".join(zh.stdout.split())  # as wrapped for the terminal
    assert "无法识别为一个数值的数据（如“18.6213.01%%”）连同其句子一并列出，不作猜测。" in text
    assert "--dry-run只列出读到的数据，不写入文件" in text
    en = " ".join(jixiao("--lang", "en", "intake", "report", "--help").stdout.split())
    assert "Finds the figures the report states" in en
    assert "--dry-run list the figures found without writing anything" in en
    top = "".join(jixiao("intake", "--help").stdout.split())
    assert "report读取已公开的部门整体支出绩效自评报告" in top


def test_a_dry_run_lists_and_writes_nothing(raw_dir):
    target = raw_dir / "2023" / "self_reported.csv"
    before = target.read_bytes()
    done = jixiao(
        "--lang", "en", "intake", "report", seed_report("docx"), "--year", 2023,
        "--dept", "BJ-FAO", "--raw-dir", raw_dir, "--dry-run",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert target.read_bytes() == before
    out = done.stdout.splitlines()
    assert out[0] == (
        f"BJ-FAO 2023: 34 figure(s) read from {seed_report('docx')}; 30 row(s) would be "
        f"written to {target} (replacing the department's 16 earlier row(s)); dry run, "
        "nothing written"
    )
    assert "  total score: 94.83" in out
    assert "  grade: 优" in out
    assert "  score of section “整体绩效目标实现情况” (goal_achievement): 56.00" in out
    assert "  carryover rate: 5.85%" in out
    assert "  carryover_total: 1132.39 (10k CNY)" in out
    assert (
        "  not one number, not used: budget/final-accounts difference rate printed as "
        "'18.6213.01% %' in “部门预决算差异率（4） 18.6213.01% % 4.00 4.00”"
    ) in out
