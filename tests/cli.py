"""Running `jixiao` as a user does: its output and exit status.

``jixiao`` runs the command in this process (``pipelines.cli.main`` with the same
arguments the console script passes): a separate process would only add the seconds
Python and Dagster take to start. ``jixiao_process`` starts ``python -m pipelines.cli``
for the tests where the process itself matters (killed, racing another, holding a lock).
"""

import contextlib
import io
import subprocess
import sys

from pipelines.cli import main
from tests.conftest import ROOT

# What a test leaves out of a `jixiao run` that is not about them: the reports and the
# Great Expectations suites (the other asset checks still run).
LEAN = ("--no-reports", "--no-expectations")


def jixiao(*args) -> subprocess.CompletedProcess:
    """``jixiao ARGS`` in this process: its exit status, stdout and stderr."""
    argv = [str(a) for a in args]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse: --help, usage errors
            code = 0 if exc.code is None else exc.code
    return subprocess.CompletedProcess(["jixiao", *argv], code, out.getvalue(), err.getvalue())


def jixiao_process(*args, timeout: float = 600, **kwargs) -> subprocess.CompletedProcess:
    """``jixiao ARGS`` as a separate process (``kwargs`` go to ``subprocess.run``)."""
    kwargs.setdefault("cwd", ROOT)
    return subprocess.run(
        [sys.executable, "-m", "pipelines.cli", *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
        **kwargs,
    )
