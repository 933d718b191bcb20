"""What the benchmarks share: running a tool offline, and timing it as a fresh process."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from pathlib import Path


def offline(command: list[str]) -> list[str]:
    """The command in a fresh network namespace (`unshare --net`, needs root): no tool under test
    can reach the network, and this machine sends no traffic for a benchmark."""
    return ["unshare", "--net", *command] if shutil.which("unshare") else command


def best_time(command: list[str], repeat: int) -> float:
    """The fastest of `repeat` runs, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(offline(command), check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return min(times)


def timed(command: list[str], cwd: Path | None = None, offline_too: bool = True) -> tuple[float, float]:
    """(seconds, peak resident MiB of the largest process) of one run, offline unless told."""
    with tempfile.NamedTemporaryFile(
        "r", suffix=".time"
    ) as measured:  # not stderr: a tool's own output may follow
        start = time.perf_counter()
        result = subprocess.run(
            [
                "/usr/bin/time",
                "-o",
                measured.name,
                "-f",
                "%M",
                *(offline(command) if offline_too else command),
            ],
            cwd=cwd,
            capture_output=True,
            text=True,
            check=False,
        )
        seconds = time.perf_counter() - start
        if result.returncode not in (0, 1):  # 1: some inputs were reported, the rest exported
            raise SystemExit(f"{command[0]} failed ({result.returncode}): {result.stderr[-2000:]}")
        return seconds, int(measured.read().strip().splitlines()[-1]) / 1024
