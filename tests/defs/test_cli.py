"""`jixiao` as a user runs it: exit status and what it prints, in Chinese by default and
in English with `--lang en` or JIXIAO_LANG=en."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pipelines.cli import main
from pipelines.cli.common import _ARGPARSE, width
from pipelines.defs.runner import YearOutcome
from pipelines.messages import Message, catalog, current, use
from tests.cli import LEAN, jixiao, jixiao_process
from tests.conftest import RAW, ROOT, RUBRICS, SEED_RAW

COMMANDS = [["run"], ["rubric"], ["rubric", "check"], ["rubric", "diff"], ["explain"], ["whatif"]]


@pytest.fixture(autouse=True)
def _no_language_chosen(monkeypatch):
    monkeypatch.delenv("JIXIAO_LANG", raising=False)


def run_cli(capsys, *args) -> tuple[int, str, str]:
    """``jixiao ARGS`` in this process: (exit status, stdout, stderr)."""
    try:
        code = main([str(a) for a in args])
    except SystemExit as exc:  # argparse: --help, usage errors
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def test_run_scores_every_year_folder_by_default(tmp_path):
    done = jixiao(
        "--lang",
        "en",
        "run",
        *LEAN,
        "--raw-dir",
        RAW,
        "--rubrics-dir",
        RUBRICS,
        "--warehouse",
        tmp_path / "w.duckdb",
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert [line.split(" — ")[0] for line in lines[:3]] == ["2022: ok", "2023: ok", "2024: ok"]
    assert "40 of 40 department(s) scored, 0 refused row(s)" in lines[1]


def test_a_year_without_a_rubric_fails_with_its_reason_and_exit_1_in_chinese(tmp_path, capsys):
    raw = tmp_path / "raw"
    shutil.copytree(SEED_RAW / "2023", raw / "2023")
    shutil.copytree(SEED_RAW / "2023", raw / "2019")
    warehouse = tmp_path / "w.duckdb"
    code, out, err = run_cli(
        capsys, "run", *LEAN, "--raw-dir", raw, "--rubrics-dir", RUBRICS, "--warehouse", warehouse
    )
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith("2019 年度：失败——") and "rubrics/beijing/2019.yaml" in lines[0]
    ok = next(line for line in lines if line.startswith("2023 年度："))
    assert ok.startswith("2023 年度：完成——共 1 个部门，评分 1 个；拒收行 0 行；发现问题：")
    assert f"数据仓库：{warehouse}" in out
    assert err.strip() == "jixiao：2 个年度中有 1 个失败：2019"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("SELECT DISTINCT year FROM department_scores").fetchall() == [(2023,)]


def test_the_summary_line_in_each_language():
    summary = Message(
        "cli.run.summary",
        departments=40,
        scored=39,
        refused=2,
        run="abcd1234",
        error=1,
        warning=3,
        info=0,
    )
    outcome = YearOutcome(2023, True, summary)
    assert outcome.line("en") == (
        "2023: ok — 39 of 40 department(s) scored, 2 refused row(s), "
        "findings: 1 error, 3 warning, 0 info (run abcd1234)"
    )
    assert outcome.line("zh") == (
        "2023 年度：完成——共 40 个部门，评分 39 个；拒收行 2 行；"
        "发现问题：错误 1 条，警告 3 条，提示 0 条（运行 abcd1234）"
    )
    with use("en"):
        assert YearOutcome(2019, False, "why").line() == "2019: FAILED — why"
    assert YearOutcome(2019, False, "why").line() == "2019 年度：失败——why"


def test_no_year_folders_is_a_usage_error(tmp_path, capsys):
    code, _, err = run_cli(capsys, "run", "--raw-dir", tmp_path, "--warehouse", tmp_path / "w")
    assert code == 2
    assert err.strip() == f"jixiao：没有可评分的年度文件夹（如 {tmp_path}/2023/）"


@pytest.mark.parametrize("how", ["--lang en", "en after the command", "JIXIAO_LANG=en"])
def test_english_on_request(tmp_path, capsys, monkeypatch, how):
    args = ["run", "--raw-dir", tmp_path, "--warehouse", tmp_path / "w"]
    if how == "--lang en":
        args = ["--lang", "en", *args]
    elif how == "en after the command":
        args = [*args, "--lang=en"]
    else:
        monkeypatch.setenv("JIXIAO_LANG", "en")
    code, _, err = run_cli(capsys, *args)
    assert code == 2
    assert err.strip() == f"jixiao: no year folders (like {tmp_path}/2023/) to score"


def test_lang_wins_over_the_environment(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("JIXIAO_LANG", "en")
    code, _, err = run_cli(capsys, "--lang", "zh", "run", "--raw-dir", tmp_path)
    assert code == 2 and err.startswith("jixiao：没有可评分的年度文件夹")


def test_an_unknown_language_is_refused(capsys, monkeypatch):
    code, _, err = run_cli(capsys, "--lang", "fr", "run")
    assert code == 2 and "无效的选项值 'fr'（可选：'zh', 'en'）" in err
    monkeypatch.setenv("JIXIAO_LANG", "fr")
    code, _, err = run_cli(capsys, "run")
    assert code == 2 and err.strip() == "jixiao：环境变量 JIXIAO_LANG=fr 不是可用的语言（zh、en）"


def test_help_is_chinese_by_default_and_says_how_to_switch(capsys):
    code, out, _ = run_cli(capsys, "--help")
    assert code == 0
    assert out.startswith("用法：jixiao [-h] [--lang 语言] 命令 ...")
    assert "选项：" in out and "显示本帮助并退出" in out
    assert "--lang en" in out and "JIXIAO_LANG=en" in out
    for command in ("run", "rubric", "explain", "whatif"):
        assert re.search(rf"^    {command} +\S", out, re.M), command
    assert "show this help" not in out and "usage:" not in out


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_s_help_is_chinese_by_default(capsys, command):
    code, out, _ = run_cli(capsys, *command, "--help")
    assert code == 0
    assert out.startswith(f"用法：jixiao {' '.join(command)} ")
    assert "选项：" in out and "显示本帮助并退出" in out and "--lang 语言" in out
    assert "usage:" not in out and "options:" not in out


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_s_help_is_english_with_lang_en(capsys, command, monkeypatch):
    code, out, _ = run_cli(capsys, *command, "--help", "--lang", "en")
    assert code == 0 and out.startswith(f"usage: jixiao {' '.join(command)} ")
    assert "options:" in out and "show this help message and exit" in out
    monkeypatch.setenv("JIXIAO_LANG", "en")
    assert run_cli(capsys, *command, "--help")[1] == out


def test_help_teaches_the_command(capsys):
    code, out, _ = run_cli(capsys, "--lang", "en", "run", "--help")
    assert code == 0
    assert "--raw-dir DIR" in out and "--warehouse FILE" in out
    assert "examples:" in out
    code, out, _ = run_cli(capsys, "run", "--help")
    assert "--raw-dir 目录" in out and "--warehouse 文件" in out and "--year 年度" in out
    assert "示例：" in out and "jixiao run --year 2023" in out


def test_help_columns_line_up_with_chinese_option_names(capsys):
    _, out, _ = run_cli(capsys, "whatif", "--help")
    options = out.split("选项：\n")[1].split("\n\n")[0].splitlines()
    starts = set()
    for line in options:  # an option and its help, or the help's next line
        m = re.match(r"^(\s{3,})\S", line) or re.match(r"^(  \S.*?\s{2,})\S", line)
        starts.add(width(m.group(1)))
    assert len(starts) == 1, options  # every help text starts at the same column


def test_usage_errors_are_chinese_by_default(capsys):
    code, _, err = run_cli(capsys, "explain", "--dept", "BJ-FAO")
    assert code == 2
    assert err.splitlines()[0].startswith("用法：jixiao explain")
    assert err.splitlines()[-1] == "jixiao explain：错误：缺少必需的参数：--year"
    code, _, err = run_cli(capsys, "--lang", "en", "explain", "--dept", "BJ-FAO")
    assert err.splitlines()[-1] == (
        "jixiao explain: error: the following arguments are required: --year"
    )


def test_an_argument_s_own_error_is_worded_in_chinese_too(capsys):
    code, _, err = run_cli(capsys, "run", "--reports", "xx")
    assert code == 2
    assert err.splitlines()[-1] == (
        "jixiao run：错误：参数 --reports：无效的选项值 'xx'（可选：'all', 'summary', 'none'）"
    )
    _, _, err = run_cli(capsys, "run", "--year", "abc")
    assert err.splitlines()[-1] == "jixiao run：错误：参数 --year：无效的 int 值：'abc'"
    _, _, err = run_cli(capsys, "--lang", "en", "run", "--year", "abc")
    assert err.splitlines()[-1] == "jixiao run: error: argument --year: invalid int value: 'abc'"


def test_the_language_is_restored_after_a_command(capsys):
    run_cli(capsys, "--lang", "en", "run", "--help")
    assert "JIXIAO_LANG" not in os.environ and current() == "zh"


def test_the_dagster_layer_does_not_import_the_command_line():
    code = (
        "import sys, pipelines.defs, pipelines.defs.whatif, pipelines.defs.runner; "
        "print(sorted(m for m in sys.modules if m.startswith('pipelines.cli')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert done.stdout.strip() == "[]"


# -- the catalog: every key the commands use, in every language ---------------------

SOURCES = [
    *Path(ROOT, "pipelines", "cli").glob("*.py"),
    *(
        Path(ROOT, "pipelines", p)
        for p in (
            "whatif.py",
            "defs/runner.py",
            "defs/whatif.py",
            "warehouse/explain.py",
            "warehouse/scenario.py",
            "rubric/diff.py",
            "rubric/load.py",
            "rubric/model.py",
            "rubric/rules.py",
        )
    ),
]


def test_every_key_the_commands_use_is_in_both_catalogs():
    used = {f"cli.argparse.{key}" for key in _ARGPARSE.values()}
    used |= {f"cli.{c}.{k}" for c in ("run", "explain", "whatif") for k in ("help", "description")}
    for path in SOURCES:
        text = path.read_text("utf-8")
        used |= set(re.findall(r"""["'](cli\.[a-z_.]+[a-z_])["']""", text))
        used |= set(re.findall(r"""["'](rubric\.[a-z_]+\.[a-z_.]+[a-z_])["']""", text))
        used |= {f"rubric.{k}" for k in re.findall(r'_say\(\s*"([a-z_.]+)"', text)}
        used |= {f"rubric.model.{k}" for k in re.findall(r'Invalid\(\s*"([a-z_]+)"', text)}
    assert len(used) > 100
    for lang in ("zh", "en"):
        assert used <= catalog(lang).keys(), (lang, sorted(used - catalog(lang).keys()))


def test_the_cli_and_rubric_areas_have_the_same_keys_in_both_languages():
    def mine(lang):
        return {k for k in catalog(lang) if k.startswith(("cli.", "rubric."))}

    assert mine("zh") == mine("en")


# Latin words the Chinese wording may use: identifiers, option and command names,
# products; everything else is Chinese
IDENTIFIERS = {
    "jixiao", "run", "rubric", "explain", "whatif", "check", "diff", "lang", "en", "zh",
    "DuckDB", "Dagster", "YAML", "id", "extends", "name", "weight", "reference", "lines",
    "rule", "indicators", "indicator_rules", "true", "false", "min_total", "min_pct",
    "below_pct", "min_share_pct", "max_share_pct", "min_over_pct", "over_achievement",
    "grades", "total_caps", "key", "path", "value", "yaml", "raw", "help", "set",
}  # fmt: skip


def test_the_chinese_wording_uses_latin_letters_only_for_identifiers():
    for key, template in catalog("zh").items():
        if not key.startswith(("cli.", "rubric.")) or key.startswith("cli.argparse."):
            continue
        text = re.sub(r"\{[^{}]*\}|%\([a-z_]+\)[sr]", "", template)
        for word in re.findall(r"-*[A-Za-z][A-Za-z0-9_./=<>-]*", text):
            if re.search(r"[_./=<>-]|\d", word) or word.isupper():
                continue  # a path, option, code, file, env var or id (beijing/2023)
            assert word in IDENTIFIERS, (key, word, template)


def test_run_finds_its_partitions_in_the_rubrics_dir_it_is_given_from_any_folder(tmp_path):
    # the partitions are the rubric folder's jurisdictions: from --rubrics-dir, not the
    # rubrics/ of the folder the command runs in (here there is none)
    done = jixiao_process(
        "run", *LEAN, "--raw-dir", RAW, "--rubrics-dir", RUBRICS, "--warehouse",
        tmp_path / "w.duckdb", "--year", 2023, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "2023 年度：完成" in done.stdout
