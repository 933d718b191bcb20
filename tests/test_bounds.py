"""Hostile input, bounded by design (issue 27): each of the reviewer's reproductions, exported
under a 4 GiB address-space limit, ends within 120 s with the bad part reported in one line and
every good entry exported; a reading process past its own bounds is reported and the rest read;
captures are bounded from connect to the last byte; links archiver writes itself are live only
for http, https and mailto; verify sees a stray file; the site can be served."""

from __future__ import annotations

import json
import os
import re
import resource
import signal
import stat
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader
from warcio.archiveiterator import ArchiveIterator

import archiver
from archiver import ExportSettings
from archiver.capture.http import Limits
from archiver.capture.session import CaptureSettings, capture
from archiver.model import Article, Failure
from archiver.package.store import ObjectStore
from archiver.runtime.runner import opened
from archiver.urls import link_href
from tests.hostile_probes import GOOD, PROBES, Probe, pocket_zip
from tests.web_server import gzip_bomb, serving

ARCHIVER = Path(sys.executable).parent / "archiver"
ROOT = Path(__file__).resolve().parent.parent
FOUR_GIB = 4 << 30


@pytest.fixture()
def web() -> Iterator[str]:
    with serving() as base:
        yield base


def _four_gib() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (FOUR_GIB, FOUR_GIB))


# The 20,000-part zip is timed by fuzz/probes.py; here a smaller one, and the zip is opened once.
FAST = [p for p in PROBES if p.name != "pocket-20000"]


@pytest.mark.export
@pytest.mark.parametrize("probe", FAST, ids=[p.name for p in FAST])
def test_each_probe_is_reported_in_one_line_and_every_good_entry_exported(
    probe: Probe, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    (folder / probe.file).parent.mkdir(parents=True)
    (folder / probe.file).write_bytes(PROBES[probe]())
    started = time.monotonic()
    done = subprocess.run(
        [str(ARCHIVER), "export", str(folder), "--out", str(tmp_path / "out"), "--format", "epub"],
        preexec_fn=_four_gib,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert time.monotonic() - started < 120
    problems = [
        line
        for line in done.stderr.splitlines()
        if line.startswith("error: ") and "nothing written" not in line
    ]
    assert len(problems) == probe.bad, done.stderr
    assert "Traceback" not in done.stderr and "could not handle it" not in done.stderr
    if probe.good:
        nodes = json.loads((tmp_path / "out" / "manifest.json").read_text())["hasPart"]
        assert len(nodes) == probe.good and GOOD in [n["url"] for n in nodes]
        assert done.returncode == (1 if probe.bad else 0)  # some inputs could not be read
    else:
        assert done.returncode != 0 and not (tmp_path / "out" / "manifest.json").exists()


def test_the_deep_entries_say_why(tmp_path: Path) -> None:
    for probe in FAST[:3]:
        (tmp_path / probe.file).write_bytes(PROBES[probe]())
    failures = [i for i in archiver.read([tmp_path]) if isinstance(i, Failure)]
    assert [f.problem for f in failures] == ["entry 1: nested deeper than 64 levels; not read"] * 3
    assert [f.locator for f in failures] == ["entry-index:1"] * 3


def test_a_zip_of_many_parts_is_opened_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "pocket.zip").write_bytes(pocket_zip(500))
    opened: list[object] = []
    original = zipfile.ZipFile.__init__

    def counting(self: zipfile.ZipFile, *args: object, **kwargs: object) -> None:
        if str(args[0]).endswith("pocket.zip"):
            opened.append(args[0])
        original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(zipfile.ZipFile, "__init__", counting)
    # read here (unbounded), where the count can be seen: detection once, the entries once
    articles = list(archiver.read([tmp_path / "pocket.zip"], read_memory=0, read_seconds=0))
    assert len(articles) == 500 and all(isinstance(a, Article) for a in articles)
    assert len(opened) <= 3


def test_a_bad_annotations_member_is_named_and_the_saves_keep_their_highlights(tmp_path: Path) -> None:
    (tmp_path / "pocket.zip").write_bytes(pocket_zip(3, bad_annotation=True))
    items = list(archiver.read([tmp_path / "pocket.zip"]))
    [failure] = [i for i in items if isinstance(i, Failure)]
    assert (
        "annotations/part_000000.json" in failure.problem
        and failure.locator == "member:annotations/part_000000.json"
    )
    articles = [i for i in items if isinstance(i, Article)]
    assert len(articles) == 3
    assert [h.quote for h in next(a for a in articles if a.url == GOOD).highlights] == ["Row"]


def test_a_csv_row_past_the_field_limit_is_its_own_problem(tmp_path: Path) -> None:
    probe = next(p for p in PROBES if p.name == "long-field")
    (tmp_path / "pocket.csv").write_bytes(PROBES[probe]())
    items = list(archiver.read([tmp_path / "pocket.csv"]))
    assert [i.url for i in items if isinstance(i, Article)] == [GOOD, "https://a.example/after"]
    [failure] = [i for i in items if isinstance(i, Failure)]
    assert "field larger than field limit" in failure.problem and failure.locator == "entry-index:1"


# --- the reading processes' own bounds -------------------------------------------------------------


def _big_page(path: Path, paragraphs: int) -> Path:
    body = "".join(
        f"<p>Paragraph {n} of a long page that takes its time to read.</p>" for n in range(paragraphs)
    )
    path.write_text(f"<html><head><title>Long</title></head><body><article>{body}</article></body></html>")
    return path


@pytest.mark.bounds
def test_an_input_past_the_time_bound_is_reported_and_the_rest_read(tmp_path: Path) -> None:
    _big_page(tmp_path / "a-long.html", 120_000)  # about 4.5 s to read
    _big_page(tmp_path / "b-short.html", 20)
    before = (resource.getrlimit(resource.RLIMIT_AS), signal.getsignal(signal.SIGALRM))
    items = list(archiver.read([tmp_path], read_seconds=1))
    assert isinstance(items[0], Failure) and items[0].problem == "exceeded 1 s while reading; not read"
    assert isinstance(items[1], Article) and items[1].title == "Long"
    # with jobs=1 too, the bounds were a worker's: this process is as it was
    assert (resource.getrlimit(resource.RLIMIT_AS), signal.getsignal(signal.SIGALRM)) == before


@pytest.mark.bounds
def test_an_input_past_the_memory_bound_is_reported_and_the_rest_read(tmp_path: Path) -> None:
    _big_page(tmp_path / "a-long.html", 300_000)  # 20 MB of page: far more than 64 MiB to read
    short = _big_page(tmp_path / "b-short.html", 20)
    bound = _size_after_reading(short) + 64
    items = list(archiver.read([tmp_path], read_memory=bound))
    assert isinstance(items[0], Failure)
    assert items[0].problem == f"exceeded {bound} MiB of memory while reading; not read"
    assert isinstance(items[1], Article)


def _read_and_report_size(path: Path) -> int:
    assert all(isinstance(item, Article) for item in archiver.read([path], read_memory=0, read_seconds=0))
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmPeak:"))
    return int(line.split()[1]) // 1024


def _size_after_reading(page: Path) -> int:
    """A reading worker's address space once it has read a short page (its readers imported)."""
    with opened(1) as runner:
        return max(runner.run_stream(_read_and_report_size, [page], ["archiver.readers"], isolated=True))


def _dies_on_three(n: int) -> int:
    if n == 3:
        os.kill(os.getpid(), signal.SIGKILL)
    return n * 10


def _lost(n: int, exc: BaseException) -> int:
    return -n


@pytest.mark.bounds
def test_a_worker_killed_mid_read_costs_its_item_alone() -> None:
    with opened(2) as runner:
        pooled = runner.run_stream(_dies_on_three, range(8), lost=_lost)
        assert list(pooled) == [0, 10, 20, -3, 40, 50, 60, 70]
    with opened(1) as runner:
        alone = runner.run_stream(_dies_on_three, range(5), lost=_lost, isolated=True)
        assert list(alone) == [0, 10, 20, -3, 40]


# --- links archiver writes itself --------------------------------------------------------------------

SCRIPTS = ["javascript:alert(1)", " JavaScript:alert(2)", "java\tscript:alert(3)", "\x01javascript:x",
           "data:text/html,<script>alert(4)</script>", "VBScript:msgbox(5)"]  # fmt: skip


def test_link_href_is_live_only_for_web_and_mail() -> None:
    assert [link_href(url) for url in SCRIPTS] == [None] * len(SCRIPTS)
    assert link_href("HTTPS://a.example/a b") == "https://a.example/a%20b"
    assert link_href("mailto:ada@a.example") == "mailto:ada@a.example"
    assert link_href("ftp://a.example/") is None and link_href("/relative") is None


@pytest.mark.export
def test_script_addresses_are_text_in_every_output(tmp_path: Path) -> None:
    entries = [{"url": GOOD, "title": "Good", "content": "<p>good</p>", "is_archived": 0}]
    entries += [{"url": url, "title": f"t{n}", "is_archived": 0} for n, url in enumerate(SCRIPTS)]
    entries += [
        {"url": url, "title": f"c{n}", "content": "<p>hi</p>", "is_archived": 0}
        for n, url in enumerate(SCRIPTS)
    ]
    (tmp_path / "w.json").write_text(json.dumps(entries))
    out = tmp_path / "out"
    list(
        archiver.export(
            [tmp_path / "w.json"], out, ExportSettings(formats=["epub", "pdf", "warc", "html"], jobs=1)
        )
    )
    hrefs: list[str] = []
    with zipfile.ZipFile(next(out.glob("*.epub"))) as book:
        for name in book.namelist():
            if name.endswith((".xhtml", ".html")):
                hrefs += re.findall(r'href="([^"]*)"', book.read(name).decode())
    for page in (out / "site").rglob("*.html"):
        hrefs += re.findall(r'href="([^"]*)"', page.read_text())
    for warc in out.glob("warc/*.warc.gz"):
        with warc.open("rb") as handle:
            for record in ArchiveIterator(handle):
                if record.rec_type in ("conversion", "resource"):
                    hrefs += re.findall(
                        r'href="([^"]*)"', record.content_stream().read().decode("utf-8", "replace")
                    )
    for page in PdfReader(next(out.glob("*.pdf"))).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and "/URI" in action:
                hrefs.append(str(action["/URI"]))
    assert GOOD in hrefs
    schemes = {re.match(r"[a-z]+:", h.lower()).group(0) for h in hrefs if re.match(r"[a-z]+:", h.lower())}  # type: ignore[union-attr]
    assert schemes <= {"http:", "https:", "mailto:", "urn:"}, schemes
    assert "alert" not in " ".join(hrefs)


def test_netscape_bookmarks_drop_script_links_in_any_case(tmp_path: Path) -> None:
    (tmp_path / "bookmarks.html").write_text(
        "<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<DL><p>"
        f'<DT><A HREF="{GOOD}">Good</A>'
        '<DT><A HREF="JavaScript:alert(1)">Bookmarklet</A>'
        '<DT><A HREF=" javascript:alert(2)">Another</A></DL>'
    )
    assert [a.url for a in archiver.read([tmp_path]) if isinstance(a, Article)] == [GOOD]


# --- capture, bounded from connect to the last byte ---------------------------------------------------

QUICK = CaptureSettings(allow_private=True, limits=Limits(timeout=1.0, deadline=2.0, max_bytes=2**20))


@pytest.mark.network
@pytest.mark.parametrize("path", ["/drip-headers", "/drip-body"])
def test_a_dripping_server_is_cut_off_at_the_deadline(web: str, path: str, tmp_path: Path) -> None:
    started = time.monotonic()
    found, body = capture(f"{web}{path}", QUICK, ObjectStore(tmp_path / "objects").put)
    assert time.monotonic() - started < QUICK.limits.deadline + 1.5
    assert body is None and (found.problem or "").startswith("timed out")


@pytest.mark.network
def test_a_gzip_bomb_is_inflated_only_to_the_cap(web: str, tmp_path: Path) -> None:
    store = ObjectStore(tmp_path / "objects")
    gzip_bomb(256)  # made now, not while the capture's one-second read timeout runs
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    found, body = capture(f"{web}/gzip-bomb/256", QUICK, store.put)
    grown_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert body is None and "kept truncated" in (found.problem or "")
    [hop] = found.hops
    assert hop.truncated and len(store.get(hop.payload)) == 2**20  # the entity, up to the cap
    assert grown_mib < 64  # 256 MiB inflated would show here


# --- the package ---------------------------------------------------------------------------------------


@pytest.mark.export
def test_verify_reports_a_stray_file_with_or_without_a_bag(tmp_path: Path) -> None:
    examples = Path(__file__).resolve().parent.parent / "examples" / "mail"
    for bag in (False, True):
        out = tmp_path / f"bag-{bag}"
        list(archiver.export([examples], out, ExportSettings(formats=["epub"], bag=bag, jobs=1)))
        assert all(check.ok for check in archiver.verify(out))
        (out / "stray.txt").write_text("not the package's")
        stray = [check for check in archiver.verify(out) if not check.ok]
        assert [check.subject for check in stray] == ["stray.txt"]


@pytest.mark.network
def test_the_site_folder_can_be_served_like_every_other_output(tmp_path: Path) -> None:
    examples = Path(__file__).resolve().parent.parent / "examples" / "mail"
    mask = os.umask(0o022)
    try:
        list(archiver.export([examples], tmp_path / "out", ExportSettings(formats=["epub", "html"], jobs=1)))
    finally:
        os.umask(mask)
    for folder in [
        tmp_path / "out" / "site",
        *(p for p in (tmp_path / "out" / "site").rglob("*") if p.is_dir()),
    ]:
        assert stat.S_IMODE(folder.stat().st_mode) == 0o755, folder


def _workers_of_the_fork_server() -> list[int]:
    from multiprocessing import forkserver

    server = forkserver._forkserver._forkserver_pid  # type: ignore[attr-defined]
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(server):
            found.append(int(status.parent.name))
    return found


@pytest.mark.export
def test_a_reading_worker_killed_mid_export_loses_no_entry(tmp_path: Path) -> None:
    entries = [
        {
            "url": f"https://a.example/{n}",
            "title": f"Entry {n}",
            "is_archived": 0,
            "content": f"<p>{n} {'w ' * 200}</p>",
        }
        for n in range(1500)
    ]
    (tmp_path / "w.json").write_text(json.dumps(entries))
    reading = archiver.read([tmp_path / "w.json"], jobs=2)
    first = next(reading)
    killed = _workers_of_the_fork_server()
    assert killed  # the reading workers, forked from the fork server
    os.kill(killed[0], signal.SIGKILL)
    items = [first, *reading]
    assert all(isinstance(item, Article) for item in items), [i for i in items if isinstance(i, Failure)][:3]
    assert [item.url for item in items if isinstance(item, Article)] == [e["url"] for e in entries]


def _stuck_in_c(_: int) -> str:
    """A loop inside C that never returns to the interpreter, where the alarm would be seen."""
    import itertools

    from archiver.bounds import ReadBounds, bounded

    with bounded(ReadBounds(memory_mib=2048, seconds=1)):
        sum(itertools.repeat(1))
    return "returned"


def _lost_name(item: int, exc: BaseException) -> str:
    return type(exc).__name__


@pytest.mark.bounds
def test_code_stuck_in_c_past_its_deadline_is_ended_by_the_cpu_limit() -> None:
    # In a process of its own, so that a limit that did not work fails the test instead of hanging it;
    # the CPU limit is of CPU time, which a busy machine gives slower than the clock.
    code = (
        "from archiver.runtime.runner import opened; "
        "from tests.test_bounds import _stuck_in_c, _lost_name; "
        "runner = opened(1).__enter__(); "
        "print(list(runner.run_stream(_stuck_in_c, [0], lost=_lost_name, isolated=True)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=180, cwd=ROOT)
    assert done.stdout.strip() == "['BrokenProcessPool']", done.stderr  # the kernel ended it (SIGXCPU)
