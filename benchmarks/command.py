"""The command users run, timed as they run it: wall time and peak memory.

    python -m benchmarks.command [--cwd DIR] [--env NAME=VALUE]... [--dagster-home DIR] \
        -- COMMAND...

Runs COMMAND as a child process in DIR (default: here) with this process's environment
(plus ``--env``), and prints one JSON line: the wall time, the exit status, the peak
resident memory and, when the command fails, the end of its output. Run it in a fresh
process (``benchmarks.child.measure``), so that the peak is the command's alone:

- ``peak_mib``: ``getrusage(RUSAGE_CHILDREN).ru_maxrss``, the largest peak of any one
  process of the command's tree (the command or a worker it started and waited for),
  not their sum;
- ``tree_peak_mib``: the largest sum of the resident memory of the whole tree, sampled
  every 0.2 s from /proc (a peak shorter than that can be missed; None without /proc).

With ``--dagster-home DIR`` the Dagster instance of DIR (its ``dagster.yaml``) has its
storage created before the clock starts, as a user's instance has after its first run:
its creation is not part of what the command costs a year.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SAMPLE_S = 0.2
PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m benchmarks.command", description=__doc__)
    p.add_argument("--cwd", type=Path, default=Path.cwd(), metavar="DIR")
    p.add_argument("--env", action="append", default=[], metavar="NAME=VALUE")
    p.add_argument("--dagster-home", type=Path, metavar="DIR")
    p.add_argument("command", nargs=argparse.REMAINDER)
    args = p.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        p.error("no command to run")
    env = dict(os.environ)
    for item in args.env:
        name, sep, value = item.partition("=")
        if not sep:
            p.error(f"--env {item}: expected NAME=VALUE")
        env[name] = value
    if args.dagster_home:
        _dagster_storage(args.dagster_home, args.cwd)
    print(json.dumps(run(command, env, args.cwd)))


def run(command: list[str], env: dict[str, str], cwd: Path) -> dict:
    """Run ``command`` in ``cwd`` and measure it (see the module's docstring)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(command, env=env, cwd=cwd, stdout=out, stderr=err)
        tree_peak = 0
        while child.poll() is None:
            tree_peak = max(tree_peak, _tree_rss(child.pid) or 0)
            time.sleep(SAMPLE_S)
        seconds = time.perf_counter() - start
        peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
        result = {
            "command": command,
            "returncode": child.returncode,
            "seconds": seconds,
            "peak_mib": round(peak_kib / 1024),
            "tree_peak_mib": round(tree_peak / 2**20) if Path("/proc").is_dir() else None,
        }
        if child.returncode != 0:
            result["output_tail"] = _tail(out) + _tail(err)
    return result


def _tail(file, chars: int = 4000) -> str:
    file.seek(0)
    return file.read().decode("utf-8", "replace")[-chars:]


def _tree_rss(root: int) -> int | None:
    """Bytes resident in ``root`` and its descendants now (None without /proc)."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    try:
        entries = os.listdir("/proc")
    except OSError:
        return None
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read()
            with open(f"/proc/{entry}/statm", "rb") as f:
                resident = int(f.read().split()[1])
        except (OSError, IndexError, ValueError):  # a process that ended meanwhile
            continue
        # the command name, in parentheses, may hold spaces: the fields follow its last ")"
        fields = stat[stat.rfind(b")") + 2 :].split()
        parents[int(entry)] = int(fields[1])
        rss[int(entry)] = resident * PAGE
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        kids = [c for c, parent in parents.items() if parent == pid and c not in tree]
        tree.update(kids)
        frontier += kids
    return sum(rss.get(pid, 0) for pid in tree)


def _dagster_storage(home: Path, cwd: Path) -> None:
    """The instance's storage, created where the command will find it: a dagster.yaml
    may name its folders relative to the folder the command runs in."""
    import dagster as dg

    here = Path.cwd()
    os.chdir(cwd)
    try:
        with dg.DagsterInstance.from_config(str(home.resolve())) as instance:
            instance.get_runs(limit=1)
    finally:
        os.chdir(here)


if __name__ == "__main__":
    main(sys.argv[1:])
