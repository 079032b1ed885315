"""Each measurement runs in its own process, so its peak memory is its own.

``measure(module, args)`` runs ``python -m <module> <args>``; the module prints one
JSON object as its last line, and ``report`` adds the process's peak resident memory.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys


def measure(module: str, *args: str, env: dict[str, str] | None = None) -> dict:
    """``env``: variables set for the module on top of this process's environment."""
    done = subprocess.run(
        [sys.executable, "-m", module, *map(str, args)],
        capture_output=True,
        text=True,
        env={**os.environ, **env} if env else None,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{module} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def report(**fields) -> None:
    """Print the measurement for ``measure``: ``fields`` plus peak memory in MiB."""
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(json.dumps({**fields, "peak_mib": round(peak_kib / 1024)}))
