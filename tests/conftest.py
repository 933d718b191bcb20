"""Shared test fixtures: the real corpus (skipped with a reason when absent) and small helpers."""

from __future__ import annotations

import fcntl
import json
import os
import pickle
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from archiver.model import Article, Failure

# the slow kinds, each a marker registered in pyproject.toml
SLOW_KINDS = ("export", "pdf", "browser", "cluster", "network", "corpus", "bounds")

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
BIN = Path(sys.executable).parent


@pytest.fixture(scope="session", autouse=True)
def warm_workers() -> Iterator[None]:
    """One handle on the fork server held for the whole session, as a long-running caller of
    archiver.read() and export() would hold one: each read's and export's own handle then joins
    the running server (readers and PDF warmed) instead of starting and stopping its own, 0.6 s
    of CPU each. The command itself, one export per process, starts its own: the tests that run
    it as a process still do."""
    from archiver.exporters import EXPORTERS
    from archiver.runtime.parallel import ForkServer

    server = ForkServer(["archiver.readers", *(module for e in EXPORTERS for module in e.preload)])
    server.start()
    yield
    server.close()


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not (CORPUS / "expected.jsonl").is_file():
        pytest.skip("../shared/corpus is not here (it exists in CI, not in a fresh clone)")
    return CORPUS


def once_per_run(factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]) -> Path:
    """The folder `name`, filled by `make` once in a test run: by whichever pytest-xdist worker
    asks first, while the others wait for it, then share it (tests write nothing into it)."""
    root = factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's, above each worker's own
    # the mark that it is made lies beside it: the folder holds only what `make` put there
    folder, made = root / name, root / f"{name}.made"
    with (root / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not made.is_file():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            made.touch()
    return folder


def _kept(factory: pytest.TempPathFactory, name: str, make: Callable[[], object]) -> Any:
    """What `make` returns, made once in a test run (once_per_run) and loaded by every worker."""

    def made(into: Path) -> None:
        (into / "made.pickle").write_bytes(pickle.dumps(make()))

    return pickle.loads((once_per_run(factory, name, made) / "made.pickle").read_bytes())


@pytest.fixture(scope="session")
def corpus_items(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Article | Failure, ...]:
    """What the whole corpus reads as, read once for every test that needs all of it."""
    from tests.helpers import read_all

    return tuple(_kept(tmp_path_factory, "corpus-items", lambda: tuple(read_all(corpus))))


@pytest.fixture(scope="session")
def corpus_documents(
    corpus: Path, expected: list[dict[str, Any]], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, list[Article | Failure]]:
    """What each document of the ground truth reads as, by its path in expected.jsonl: all of
    them read at once, on every core, for every test that scores them."""
    from archiver.model import Article
    from archiver.readers import read_inputs

    def read() -> dict[str, list[Article | Failure]]:
        found: dict[str, list[Article | Failure]] = {doc["path"]: [] for doc in expected}
        by_shown = {str(corpus / path): path for path in found}
        for item in read_inputs(list(by_shown), jobs=None):
            found[by_shown[item.source.path if isinstance(item, Article) else item.path]].append(item)
        return found

    return dict(_kept(tmp_path_factory, "corpus-documents", read))


@pytest.fixture(scope="session")
def corpus_package(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole corpus exported once, to every format a test checks of it: EPUB, PDF, WARC and
    WACZ, each named the-whole-corpus (the WARC warc/the-whole-corpus-00001.warc.gz); tests write
    nothing into it."""
    from typer.testing import CliRunner

    from archiver.cli.app import app

    def export(out: Path) -> None:
        formats = [arg for name in ("epub", "pdf", "warc", "wacz") for arg in ("--format", name)]
        result = CliRunner().invoke(
            app, ["export", str(corpus), "--out", str(out), *formats, "--title", "The whole corpus"]
        )
        assert result.exit_code == 0, result.output

    return once_per_run(tmp_path_factory, "corpus-package", export)


@pytest.fixture(scope="session")
def expected(corpus: Path) -> list[dict[str, Any]]:
    lines = (corpus / "expected.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's headless Chromium, through its chromedriver, for a module's tests; its network
    log kept (get_log("performance"))."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    from tests.validators import require

    options = webdriver.ChromeOptions()
    options.binary_location = require("chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1000,1400"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(require("chromedriver")))
    driver.set_script_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test of a slow kind is `slow`: `pytest -m "not slow"` is the fast lane."""
    for item in items:
        if any(item.get_closest_marker(kind) for kind in SLOW_KINDS):
            item.add_marker(pytest.mark.slow)
