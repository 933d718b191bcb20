"""Shared test fixtures: the real corpus (skipped with a reason when absent) and small helpers."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
BIN = Path(sys.executable).parent


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not (CORPUS / "expected.jsonl").is_file():
        pytest.skip("../shared/corpus is not here (it exists in CI, not in a fresh clone)")
    return CORPUS


@pytest.fixture(scope="session")
def expected(corpus: Path) -> list[dict[str, Any]]:
    lines = (corpus / "expected.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture()
def pywb(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A real pywb on loopback; yields a function that adds a WARC and returns the replay prefix."""
    root = tmp_path / "pywb"
    root.mkdir()
    subprocess.run([str(BIN / "wb-manager"), "init", "coll"], cwd=root, check=True, capture_output=True)
    port = _free_port()
    server: list[subprocess.Popen[bytes]] = []

    def start(warc: Path) -> str:
        unpack = ["--unpack-wacz"] if warc.suffix == ".wacz" else []  # pywb reads a WACZ's WARCs
        subprocess.run(
            [str(BIN / "wb-manager"), "add", "coll", str(warc), *unpack],
            cwd=root,
            check=True,
            capture_output=True,
        )
        server.append(
            subprocess.Popen(
                [str(BIN / "wayback"), "-p", str(port), "-b", "127.0.0.1"],
                cwd=root,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    return f"http://127.0.0.1:{port}/coll"
            except OSError:
                time.sleep(0.3)
        raise AssertionError("pywb did not start")

    yield start
    for process in server:
        process.terminate()
        process.wait(timeout=30)


def replay(prefix: str, ts: str, url: str) -> bytes:
    with urllib.request.urlopen(f"{prefix}/{ts}id_/{url}", timeout=30) as response:
        return bytes(response.read())
