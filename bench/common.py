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


def tree_peak(command: list[str], cwd: Path | None = None) -> tuple[float, float]:
    """(seconds, peak MiB) of one run, the memory summed over the process and every process it
    started (a browser's are many), sampled every 200 ms. Each process's proportional set size
    (PSS): memory shared between them (Chromium's are many, sharing much) is counted once. Not
    offline: for loopback webs."""
    import psutil

    start = time.perf_counter()
    process = psutil.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while process.poll() is None:
        total = 0
        for member in [process, *process.children(recursive=True)]:
            try:
                total += member.memory_full_info().pss
            except psutil.Error:
                continue
        peak = max(peak, total)
        time.sleep(0.2)
    seconds = time.perf_counter() - start
    if process.returncode not in (0, 1):
        raise SystemExit(f"{command[0]} failed ({process.returncode}): {process.stderr.read()[-2000:]!r}")
    return seconds, peak / 2**20
