"""``jixiao run --reports all|summary|none``: which reports the run's ``reports`` asset
writes (``ReportsConfig.departments``); ``--no-reports`` is ``--reports none``."""

import pytest

from pipelines.cli import parser
from tests.cli import jixiao
from tests.conftest import RAW, RUBRICS


@pytest.mark.parametrize(
    ("args", "reports"),
    [([], "all"), (["--reports", "summary"], "summary"), (["--no-reports"], "none")],
)
def test_the_reports_choice(args, reports):
    assert parser("zh").parse_args(["run", *args]).reports == reports


def test_the_run_config_of_the_reports_asset():
    from pipelines.defs.runner import QUIET, run_config

    assert run_config("none") == QUIET
    assert run_config("summary") == {
        **QUIET,
        "ops": {"reports": {"config": {"departments": False}}},
    }
    assert run_config("all")["ops"]["reports"]["config"] == {"departments": True}


def test_run_with_the_summary_only(tmp_path):
    reports = tmp_path / "reports"
    done = jixiao(
        "run", "--no-expectations", "--raw-dir", RAW, "--rubrics-dir", RUBRICS,
        "--warehouse", tmp_path / "w.duckdb", "--reports-dir", reports,
        "--year", "2022", "--reports", "summary",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    written = sorted(p.relative_to(reports).as_posix() for p in reports.rglob("*") if p.is_file())
    assert written == ["2022/beijing/summary.html", "2022/beijing/summary.xlsx", "index.html"]
