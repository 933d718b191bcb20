"""Shared test fixtures: the real corpus (skipped with a reason when absent) and small helpers."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from archiver.model import Article, Failure

# the slow kinds, each a marker registered in pyproject.toml
SLOW_KINDS = ("export", "pdf", "browser", "cluster", "network", "corpus", "bounds")

# the fixtures that read or export the whole corpus, made once in a run (see below)
WHOLE_CORPUS = {"corpus_items", "corpus_documents", "corpus_package"}
ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
BIN = Path(sys.executable).parent


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not (CORPUS / "expected.jsonl").is_file():
        pytest.skip("../shared/corpus is not here (it exists in CI, not in a fresh clone)")
    return CORPUS


@pytest.fixture(scope="session")
def corpus_items(corpus: Path) -> tuple[Article | Failure, ...]:
    """What the whole corpus reads as, read once for every test that needs all of it."""
    from tests.helpers import read_all

    return tuple(read_all(corpus))


@pytest.fixture(scope="session")
def corpus_documents(corpus: Path, expected: list[dict[str, Any]]) -> dict[str, list[Article | Failure]]:
    """What each document of the ground truth reads as, by its path in expected.jsonl: all of
    them read at once, on every core, for every test that scores them."""
    from archiver.model import Article
    from archiver.readers import read_inputs

    found: dict[str, list[Article | Failure]] = {doc["path"]: [] for doc in expected}
    by_shown = {str(corpus / path): path for path in found}
    for item in read_inputs(list(by_shown), jobs=None):
        found[by_shown[item.source.path if isinstance(item, Article) else item.path]].append(item)
    return found


@pytest.fixture(scope="session")
def corpus_package(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole corpus exported once, to every format a test checks of it: EPUB, PDF, WARC and
    WACZ, each named the-whole-corpus.* (tests write nothing into it)."""
    from typer.testing import CliRunner

    from archiver.cli.app import app

    out = tmp_path_factory.mktemp("corpus-package")
    formats = [arg for name in ("epub", "pdf", "warc", "wacz") for arg in ("--format", name)]
    result = CliRunner().invoke(
        app, ["export", str(corpus), "--out", str(out), *formats, "--title", "The whole corpus"]
    )
    assert result.exit_code == 0, result.output
    return out


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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test of a slow kind is `slow`: `pytest -m "not slow"` is the fast lane.

    Under pytest-xdist's `--dist loadgroup` (scripts/check.sh), the tests of one module run in
    one worker, so that its module fixtures are made once; and every test of the whole corpus
    in one, so that the corpus is read and exported once in the run."""
    for item in items:
        if any(item.get_closest_marker(kind) for kind in SLOW_KINDS):
            item.add_marker(pytest.mark.slow)
        whole_corpus = WHOLE_CORPUS & set(getattr(item, "fixturenames", ()))
        item.add_marker(
            pytest.mark.xdist_group("whole-corpus" if whole_corpus else item.nodeid.split("::")[0])
        )
