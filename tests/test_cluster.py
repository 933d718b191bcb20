"""--cluster: the per-article work on a Dask distributed cluster (a LocalCluster of worker
processes here) gives the same package, byte for byte, as one machine; a worker killed
mid-export is replaced and nothing is lost; a task that kills its worker on every try is
reported, and the rest goes on. The mailbox is generated here."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

import pytest

import archiver
from archiver import ExportSettings
from archiver.api import ArticleAdded, Finished

pytestmark = pytest.mark.cluster

distributed = pytest.importorskip("distributed", reason="pip install 'archiver[cluster]'")

MESSAGES = 2000
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def mailbox(path: Path, count: int = MESSAGES) -> Path:
    """An mbox of `count` saved articles, each its own text, as a mail client writes them."""
    start = datetime(2024, 1, 1, 8, 0, tzinfo=UTC)
    with path.open("wb") as box:
        for n in range(count):
            message = EmailMessage()
            message["From"] = "Reader <reader@example.org>"
            message["To"] = "reader@example.org"
            message["Subject"] = f"Harbour report {n}"
            message["Date"] = format_datetime(start + timedelta(hours=n))
            message["Message-ID"] = f"<report-{n}@example.org>"
            body = f"<p>Report {n}: the tide rose by {n % 97} centimetres.</p>" + (
                "<p>The boats came in as the ledger says, one by one, before the storm.</p>" * 6
            )
            message.set_content(f"<html><body><article>{body}</article></body></html>", subtype="html")
            box.write(b"From reader@example.org Mon Jan  1 08:00:00 2024\n")
            box.write(message.as_bytes().replace(b"\nFrom ", b"\n>From "))
            box.write(b"\n")
    return path


@pytest.fixture(scope="module")
def cluster() -> Iterator[distributed.LocalCluster]:
    import dask

    # A task whose worker dies fails at once (KilledWorker), and archiver submits it again
    # (cluster.TRIES): a poison task then costs three workers, not twelve.
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 0}),
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=40
        ) as local,
    ):
        yield local


def _package_files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".archiver" not in p.relative_to(folder).parts
    }


def _export(inputs: list[Path], out: Path, formats: list[str], address: str | None = None) -> Finished:
    events = list(archiver.export(inputs, out, ExportSettings(formats=formats, cluster=address)))
    assert isinstance(events[-1], Finished)
    return events[-1]


def test_every_kind_of_corpus_input_on_a_cluster_is_what_it_is_on_one_machine(
    corpus: Path, cluster: distributed.LocalCluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Mail, a mailbox, MHTML, Reader View and saved pages with their images: every reader's path
    through the cluster (the whole corpus adds only more of the same pages, and two minutes)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    formats = ["epub", "pdf", "warc"]  # reading and every PDF part run on the cluster
    inputs = [corpus / kind for kind in ("email", "mbox", "mhtml", "synthesized", "htmldate")]
    there = _export(inputs, tmp_path / "cluster", formats, cluster.scheduler_address)
    here = _export(inputs, tmp_path / "here", formats)
    assert (there.articles, there.problems) == (here.articles, here.problems)
    assert _package_files(tmp_path / "cluster") == _package_files(tmp_path / "here")


def test_two_exports_side_by_side_each_go_where_they_were_sent(
    cluster: distributed.LocalCluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One export on the cluster and one on this machine, iterated in turns in one thread: the
    cluster runs exactly the tasks of its own export alone, and each package is the one that
    export makes by itself."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    settings = ExportSettings(formats=["epub", "warc"])
    sent = ExportSettings(formats=["epub", "warc"], cluster=cluster.scheduler_address)
    with distributed.Client(cluster.scheduler_address) as client:
        with distributed.get_task_stream(client) as alone:
            list(archiver.export([EXAMPLES], tmp_path / "alone", sent))
        there = archiver.export([EXAMPLES], tmp_path / "there", sent)
        here = archiver.export([EXAMPLES / "mail"], tmp_path / "here", settings)
        with distributed.get_task_stream(client) as side_by_side:
            ended = [False, False]
            while not all(ended):
                for n, events in enumerate((there, here)):
                    ended[n] = ended[n] or next(events, None) is None
    assert len(alone.data) > 0 and len(side_by_side.data) == len(alone.data)
    assert _package_files(tmp_path / "there") == _package_files(tmp_path / "alone")
    _export([EXAMPLES / "mail"], tmp_path / "here-alone", ["epub", "warc"])
    assert _package_files(tmp_path / "here") == _package_files(tmp_path / "here-alone")


def test_a_worker_killed_mid_export_loses_nothing(
    cluster: distributed.LocalCluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    box = mailbox(tmp_path / "saved.mbox")
    out = tmp_path / "cluster"
    killed = None
    with distributed.Client(cluster.scheduler_address) as client:
        events = archiver.export(
            [box], out, ExportSettings(formats=["epub", "warc"], cluster=cluster.scheduler_address)
        )
        added = 0
        for event in events:
            added += isinstance(event, ArticleAdded)
            if added == 300 and killed is None:  # reading is under way on both workers
                killed = next(iter(client.run(os.getpid).values()))
                os.kill(killed, signal.SIGKILL)
        assert killed is not None
        assert isinstance(event, Finished) and event.articles == MESSAGES and event.problems == 0
    here = tmp_path / "here"
    _export([box], here, ["epub", "warc"])
    assert _package_files(out) == _package_files(here)
    result = subprocess.run(
        [str(Path(sys.executable).parent / "archiver"), "verify", str(out)], capture_output=True
    )
    assert result.returncode == 0, result.stdout


def _dies_on_poison(item: str) -> str:
    if item == "poison":
        os._exit(1)  # as a segfault in a C library would: the worker is gone
    return item.upper()


def test_a_task_that_kills_its_worker_every_time_is_reported_and_the_rest_goes_on(
    cluster: distributed.LocalCluster,
) -> None:
    from archiver.model import Failure
    from archiver.readers.tasks import _lost
    from archiver.runtime import cluster as on_cluster

    with on_cluster.connected(cluster.scheduler_address) as (client, _):
        results = list(
            on_cluster.run_stream(
                client, _dies_on_poison, ["ink", "poison", "paper"], lost=lambda item, exc: f"lost {item}"
            )
        )
    assert results == ["INK", "lost poison", "PAPER"]
    # Reading's own account of such a task: each of its inputs a failure, saying why.
    [failure] = _lost((Path("x.html"), "in/x.html"), RuntimeError("KilledWorker"))
    assert (
        isinstance(failure, Failure)
        and failure.path == "in/x.html"
        and "died on every try" in failure.problem
    )


def test_without_dask_or_a_scheduler_the_user_is_told(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from archiver.cli.app import app

    page = tmp_path / "page.html"
    page.write_text("<html><body><p>Hello</p></body></html>", encoding="utf-8")
    result = CliRunner().invoke(
        app, ["export", str(page), "--out", str(tmp_path / "out"), "--cluster", "tcp://127.0.0.1:9"]
    )
    assert result.exit_code == 1 and "no Dask scheduler answers at tcp://127.0.0.1:9" in result.output


def test_ctrl_c_cancels_the_cluster_tasks_and_leaves_the_package(
    cluster: distributed.LocalCluster, tmp_path: Path
) -> None:
    import time

    from tests.conftest import ROOT

    box = mailbox(tmp_path / "saved.mbox")
    package = tmp_path / "package"
    _export([ROOT / "examples" / "saved-page"], package, ["epub"])
    before = _package_files(package)
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "archiver"), "export", str(box), "--out", str(package),
         "--format", "epub", "--cluster", cluster.scheduler_address],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    with distributed.Client(cluster.scheduler_address) as client:
        deadline = time.monotonic() + 60
        while not any(client.processing().values()):  # the cluster is reading the mailbox
            assert time.monotonic() < deadline and process.poll() is None, "no task reached the cluster"
            time.sleep(0.1)
        os.killpg(process.pid, signal.SIGINT)
        _, stderr = process.communicate(timeout=60)
        assert process.returncode == 130 and "Traceback" not in stderr, stderr
        deadline = time.monotonic() + 20
        while any(client.processing().values()):  # cancelled, not left running for nobody
            assert time.monotonic() < deadline, client.processing()
            time.sleep(0.2)
    assert _package_files(package) == before


def test_without_the_cache_the_workers_render_into_the_package_all_the_same(
    cluster: distributed.LocalCluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.conftest import ROOT

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    given = [ROOT / "examples" / "saved-page", ROOT / "examples" / "mail"]
    there = tmp_path / "cluster"
    events = list(
        archiver.export(
            given, there, ExportSettings(formats=["pdf"], cache=False, cluster=cluster.scheduler_address)
        )
    )
    assert isinstance(events[-1], Finished)
    _export(given, tmp_path / "here", ["pdf"])
    assert _package_files(there) == _package_files(tmp_path / "here")
    assert not (there / ".archiver" / "cache").exists() and not (there / ".archiver" / "staging").exists()


_OPENED: list[str] = []  # on a worker: what it opened under the watched folders


class _WatchOpens(distributed.WorkerPlugin):  # type: ignore[misc]
    """A worker plugin: records each file or folder a worker opens under `roots` (audit hooks see
    every open(), os.scandir() and os.listdir(), whoever calls them)."""

    def __init__(self, roots: list[str]) -> None:
        self.roots = roots

    def setup(self, worker: object) -> None:
        roots = tuple(self.roots)

        def hook(event: str, args: tuple[object, ...]) -> None:
            if event in ("open", "os.scandir", "os.listdir") and args and isinstance(args[0], str | Path):
                if os.path.abspath(args[0]).startswith(roots):
                    _OPENED.append(f"{event} {args[0]}")

        sys.addaudithook(hook)


def _opened() -> list[str]:
    return list(_OPENED)


def test_through_a_store_no_worker_touches_the_inputs_or_the_package(
    cluster: distributed.LocalCluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--store: the workers get the inputs (a saved page's images included) and leave the PDF
    parts in the store; the package is the one this machine makes, refusals worded alike."""
    import shutil

    from tests.conftest import ROOT

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    inputs = tmp_path / "inputs"
    shutil.copytree(ROOT / "examples", inputs / "examples")
    (inputs / "secret.png").write_bytes(
        (inputs / "examples/saved-page/keeping-pages_files/frame.png").read_bytes()
    )
    pages = inputs / "examples" / "saved-page"
    (pages / "notes.txt").write_text("not a picture", encoding="utf-8")
    (pages / "linked.png").symlink_to(inputs / "secret.png")
    refs = ["keeping-pages_files/frame.png", "notes.txt", "../../secret.png", "linked.png", "gone.png"]
    (pages / "refusals.html").write_text(
        '<html lang="en"><head><title>What a page may show</title></head><body><article>'
        + "".join(
            f'<p>Figure {n}, as saved.</p><img src="{ref}" alt="figure {n}">' for n, ref in enumerate(refs)
        )
        + "</article></body></html>",
        encoding="utf-8",
    )
    given = [inputs / "examples"]
    store = tmp_path / "store"
    there = tmp_path / "cluster"
    with distributed.Client(cluster.scheduler_address) as client:
        client.register_plugin(_WatchOpens([str(inputs), str(there)]), name="watch-opens")
        settings = ExportSettings(
            formats=["epub", "pdf", "warc"], cluster=cluster.scheduler_address, store=store.as_uri()
        )
        events = list(archiver.export(given, there, settings))
        opened = client.run(_opened)
    assert isinstance(events[-1], Finished) and events[-1].articles == 7
    assert all(not seen for seen in opened.values()), opened
    assert list(store.glob("parts/*/*.pdf")) and list(store.glob("objects/*/*"))
    here = tmp_path / "here"
    _export(given, here, ["epub", "pdf", "warc"])
    assert _package_files(there) == _package_files(here)
    [page] = [
        e.article for e in events if isinstance(e, ArticleAdded) and e.article.title == "What a page may show"
    ]
    found = {r.ref: (r.status.value, r.reason) for r in page.resources}
    assert found["keeping-pages_files/frame.png"] == ("embedded", None)
    assert "not an image (13 bytes" in str(found["notes.txt"][1])
    assert (
        found["../../secret.png"][1]
        == found["linked.png"][1]
        == "path leads outside the input's folder; not read"
    )
    assert found["gone.png"][0] == "missing"
