"""What the benchmarks share: running a tool offline, and timing it as a fresh process."""

from __future__ import annotations

import shutil
import subprocess
import time


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
