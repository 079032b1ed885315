"""Running `jixiao` as a user does: a separate process, its output and exit status."""

import subprocess
import sys

from tests.conftest import ROOT


def jixiao(*args, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pipelines.cli", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=timeout,
    )
