#!/usr/bin/env python3
"""Issue 27's resource probes, each exported under a 4 GiB address-space limit and a 120 s
deadline, with the wall time and peak memory of the whole process tree: the table that says
whether a small hostile file can still take the machine down.

usage: python fuzz/probes.py [--only NAME ...] [--limit-gib 4] [--seconds 120]
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.hostile_probes import write  # noqa: E402

ARCHIVER = Path(sys.executable).parent / "archiver"


def run(folder: Path, out: Path, limit: int, seconds: float) -> dict[str, object]:
    def bounded() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    started = time.monotonic()
    command = [str(ARCHIVER), "export", str(folder), "--out", str(out), "--format", "epub"]
    process = subprocess.Popen(
        command, preexec_fn=bounded, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        output, _ = process.communicate(timeout=seconds)
        code: int | str = process.returncode
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, 9)
        output, _ = process.communicate()
        code = "killed at deadline"
    elapsed = time.monotonic() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the largest child's, MiB
    manifest = out / "manifest.json"
    articles = len(json.loads(manifest.read_text())["hasPart"]) if manifest.is_file() else 0
    lines = [line for line in output.decode("utf-8", "replace").splitlines() if line.strip()]
    return {"seconds": elapsed, "peak_mib": peak, "exit": code, "articles": articles, "said": lines[-4:]}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", nargs="*")
    parser.add_argument("--limit-gib", type=float, default=4)
    parser.add_argument("--seconds", type=float, default=120)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        probes = write(Path(work) / "in")
        print("| probe | what | seconds | peak MiB | exit | articles (good) |")
        print("| --- | --- | --- | --- | --- | --- |")
        for probe in probes:
            if args.only and probe.name not in args.only:
                continue
            # each in a fresh process, so RUSAGE_CHILDREN's peak is this probe's alone
            result = subprocess.run(
                [sys.executable, __file__, "--one", probe.name, work, str(args.limit_gib), str(args.seconds)],
                capture_output=True,
                text=True,
            )
            data = json.loads(result.stdout)
            print(
                f"| {probe.name} | {probe.what} | {data['seconds']:.1f} | {data['peak_mib']:.0f} | "
                f"{data['exit']} | {data['articles']} ({probe.good}) |",
                flush=True,
            )
            for line in data["said"]:
                print(f"  {line}", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--one":
        name, work, gib, seconds = sys.argv[2:6]
        folder = Path(work) / "in" / name
        out = Path(work) / "out" / name
        print(json.dumps(run(folder, out, int(float(gib) * 2**30), float(seconds))))
    else:
        main()
