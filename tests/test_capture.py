"""--fetch captures the pages of link-only entries: real HTTP exchanges in the WARC, the article
read from the capture, dead links kept as data, politely, resumably, and never a connection to
an address that was not checked. The web is ours, on loopback (tests/web_server.py), so every
test allows private addresses (--fetch-private) except those that test the refusal. These are the
plain exchanges (--capture http); test_browser_capture.py has the pages rendered in Chromium."""

from __future__ import annotations

import gzip
import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest
from warcio.archiveiterator import ArchiveIterator

import archiver
from archiver import Article, ExportSettings, Finished
from archiver.api import Captured
from archiver.capture.http import Limits
from archiver.capture.session import CaptureSettings, capture, retry_after
from archiver.package.store import ObjectStore
from tests.conftest import ROOT, replay
from tests.helpers import warc_records
from tests.web_server import Web, article_html, png, serving

pytestmark = pytest.mark.network

SCHEMA = json.loads((ROOT / "schemas" / "manifest.schema.json").read_text())
FETCH = ExportSettings(formats=["warc"], fetch=True, fetch_private=True, capture="http")


@pytest.fixture()
def web() -> Iterator[str]:
    with serving() as base:
        yield base


def links(folder: Path, urls: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "links.txt"
    path.write_text("".join(f"{url}\n" for url in urls))
    return path


def pocket_csv(folder: Path, urls: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "pocket.csv"
    rows = "".join(f"Saved {n},{url},{1714640000 + n},reading|later,unread\n" for n, url in enumerate(urls))
    path.write_text("title,url,time_added,tags,status\n" + rows)
    return path


def warcio_check(out: Path) -> None:
    [warc] = out.glob("warc/*.warc.gz")
    check = subprocess.run(
        [str(Path(sys.executable).parent / "warcio"), "check", "-v", str(warc)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0 and "fail" not in check.stdout, check.stdout[-2000:]


def test_without_fetch_there_is_no_connection_at_all(web: str, tmp_path: Path) -> None:
    export = pocket_csv(tmp_path / "in", [f"{web}/article/1.html"])
    events = list(archiver.export([export], tmp_path / "out", ExportSettings(formats=["warc"])))
    assert Web.hits == {} and not [e for e in events if isinstance(e, Captured)]
    assert isinstance(events[-1], Finished) and events[-1].links == 1


def test_a_link_becomes_its_captured_article_with_what_the_user_said(web: str, tmp_path: Path) -> None:
    export = pocket_csv(tmp_path / "in", [f"{web}/article/7.html"])
    events = list(archiver.export([export], tmp_path / "out", FETCH))
    done = events[-1]
    assert isinstance(done, Finished) and (done.captured, done.dead, done.links) == (1, 0, 0)
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    jsonschema.validate(manifest, SCHEMA)
    [node] = manifest["hasPart"]
    # the page's own metadata, read from the capture as from a saved page; the user's tags and state
    assert (node["headline"], node["archiver:content"]) == ("Story 7", "full")
    assert [a["name"] for a in node["author"]] == ["Ada Example"]
    assert (node["keywords"], node["archiver:readingStatus"]) == (["reading", "later"], "unread")
    assert node["archiver:dateSaved"].startswith("2024-05-02")
    assert [i["archiver:status"] for i in node["image"]] == ["embedded"]
    capture = node["archiver:capture"]
    assert capture["problem"] is None and [h["status"] for h in capture["hops"]] == [200]
    # the WARC: the exchanges as they crossed the wire, page and image, at their addresses
    found = warc_records(tmp_path / "out")
    page_records = [(kind, uri) for kind, uri, *_ in found if uri.startswith(web)]
    assert page_records == [
        ("request", f"{web}/article/7.html"),
        ("response", f"{web}/article/7.html"),
        ("request", f"{web}/img/7.png"),
        ("response", f"{web}/img/7.png"),
    ]
    responses = {uri: (headers, payload) for kind, uri, headers, payload, _ in found if kind == "response"}
    assert responses[f"{web}/article/7.html"][1] == article_html(7)
    assert responses[f"{web}/img/7.png"][1] == png(7)
    assert responses[f"{web}/article/7.html"][0]["WARC-IP-Address"] == "127.0.0.1"
    requests = {uri: headers for kind, uri, headers, *_ in found if kind == "request"}
    assert (
        requests[f"{web}/article/7.html"]["WARC-Concurrent-To"]
        == (responses[f"{web}/article/7.html"][0]["WARC-Record-ID"])
    )
    conversion = next(headers for kind, _, headers, *_ in found if kind == "conversion")
    assert conversion["WARC-Refers-To"] == responses[f"{web}/article/7.html"][0]["WARC-Record-ID"]
    warcio_check(tmp_path / "out")
    assert all(check.ok for check in archiver.verify(tmp_path / "out"))


def test_redirects_are_each_a_hop_and_a_loop_is_a_dead_link(web: str, tmp_path: Path) -> None:
    export = links(tmp_path / "in", [f"{web}/hop/3/5", f"{web}/loop/a"])
    events = list(archiver.export([export], tmp_path / "out", FETCH))
    done = events[-1]
    assert isinstance(done, Finished) and (done.captured, done.dead) == (1, 1)
    chain, loop = json.loads((tmp_path / "out" / "manifest.json").read_text())["hasPart"]
    assert [(h["url"].removeprefix(web), h["status"]) for h in chain["archiver:capture"]["hops"]] == [
        ("/hop/3/5", 301),
        ("/hop/2/5", 301),
        ("/hop/1/5", 301),
        ("/article/5.html", 200),
    ]
    assert chain["headline"] == "Story 5" and chain["url"] == f"{web}/article/5.html"
    assert "redirect loop" in loop["archiver:capture"]["problem"] and loop["archiver:content"] == "link"
    assert Web.hits["/loop/a"] == 1 and Web.hits["/loop/b"] == 1
    statuses = [(uri.removeprefix(web), http.get_statuscode()) for kind, uri, _, _, http in warc_records(
        tmp_path / "out") if kind == "response"]  # fmt: skip
    assert ("/hop/3/5", "301") in statuses and ("/article/5.html", "200") in statuses
    warcio_check(tmp_path / "out")


def test_dead_links_are_data_and_the_rest_still_comes_out(web: str, tmp_path: Path) -> None:
    export = links(tmp_path / "in", [f"{web}/gone", f"{web}/missing", f"{web}/article/2.html"])
    events = list(archiver.export([export], tmp_path / "out", FETCH))
    problems = [(e.url.removeprefix(web), e.problem) for e in events if isinstance(e, Captured)]
    assert problems == [("/gone", "410 Gone"), ("/missing", "404 Not Found"), ("/article/2.html", None)]
    done = events[-1]
    assert isinstance(done, Finished) and (done.captured, done.dead, done.links) == (1, 2, 2)
    nodes = json.loads((tmp_path / "out" / "manifest.json").read_text())["hasPart"]
    assert [n["archiver:content"] for n in nodes] == ["link", "link", "full"]
    warcio_check(tmp_path / "out")


def test_a_busy_server_is_asked_again_after_its_retry_after(web: str, tmp_path: Path) -> None:
    store = ObjectStore(tmp_path / "objects")
    found, body = capture(f"{web}/busy/3", CaptureSettings(allow_private=True), store.put)
    assert found.problem is None and body == article_html(3) and Web.hits["/busy/3"] == 2
    assert [h.status for h in found.hops] == [200]  # the 429 was a wait, not the capture
    assert retry_after("7") == 7.0 and retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0


def test_a_slow_server_times_out_and_a_huge_body_is_kept_truncated(web: str, tmp_path: Path) -> None:
    store = ObjectStore(tmp_path / "objects")
    quick = CaptureSettings(allow_private=True, limits=Limits(timeout=0.5, deadline=2, max_bytes=100_000))
    slow, body = capture(f"{web}/slow", quick, store.put)
    assert slow.problem == "timed out" and body is None and not slow.hops
    huge, body = capture(f"{web}/huge", quick, store.put)
    assert body is None and "kept truncated" in (huge.problem or "")
    [hop] = huge.hops
    assert hop.truncated and len(store.get(hop.payload)) == 100_000


def test_other_content_is_captured_and_listed_not_read(web: str, tmp_path: Path) -> None:
    export = links(tmp_path / "in", [f"{web}/paper.pdf"])
    list(archiver.export([export], tmp_path / "out", FETCH))
    [node] = json.loads((tmp_path / "out" / "manifest.json").read_text())["hasPart"]
    assert node["archiver:content"] == "link" and node["archiver:capture"]["problem"] is None
    assert node["archiver:capture"]["hops"][0]["content_type"] == "application/pdf"
    assert any("captured as application/pdf" in w for w in node["archiver:warnings"])
    pdf = [p for kind, uri, _, p, _ in warc_records(tmp_path / "out") if kind == "response"]
    assert pdf == [b"%PDF-1.4\n% a paper\n%%EOF\n"]


def test_private_addresses_are_refused_without_fetch_private(web: str, tmp_path: Path) -> None:
    export = links(tmp_path / "in", [f"{web}/article/1.html"])
    settings = ExportSettings(formats=["warc"], fetch=True, capture="http")
    events = list(archiver.export([export], tmp_path / "out", settings))
    [captured] = [e for e in events if isinstance(e, Captured)]
    assert "private or local address" in (captured.problem or "") and Web.hits == {}


def test_the_connection_goes_to_the_address_that_was_checked(
    web: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DNS rebinding: the name is public when checked and loopback a moment later. archiver
    connects to the address it checked, so our loopback server is never reached."""
    port = int(web.rsplit(":", 1)[1])
    answers = iter(["93.184.215.14", "127.0.0.1", "127.0.0.1", "127.0.0.1"])
    real = socket.getaddrinfo

    def rebinding(host: str, *args: object, **kwargs: object) -> list[tuple[object, ...]]:
        if host != "news.rebind.example":  # an address literal resolves to itself, as always
            return real(host, *args, **kwargs)  # type: ignore[arg-type]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    store = ObjectStore(tmp_path / "objects")
    settings = CaptureSettings(limits=Limits(timeout=1, deadline=2), retries=0)
    found, body = capture(f"http://news.rebind.example:{port}/article/1.html", settings, store.put)
    assert body is None and found.problem is not None and Web.hits == {}


def test_an_interrupted_capture_resumes_and_fetches_nothing_twice(web: str, tmp_path: Path) -> None:
    urls = [f"{web}/article/{n}.html" for n in range(1, 13)]
    export = pocket_csv(tmp_path / "in", urls)
    settings = ExportSettings(formats=["warc"], fetch=True, fetch_private=True, connections=2, capture="http")
    events = archiver.export([export], tmp_path / "out", settings)
    seen = 0
    for event in events:
        seen += isinstance(event, Captured)
        if seen == 5:
            break
    events.close()  # as Ctrl-C does: nothing committed
    assert not (tmp_path / "out" / "manifest.json").exists()
    first = sum(Web.hits[f"/article/{n}.html"] for n in range(1, 13))
    assert 5 <= first < 12
    events2 = list(archiver.export([export], tmp_path / "out", settings))
    done = events2[-1]
    assert isinstance(done, Finished) and done.captured == 12
    assert all(Web.hits[f"/article/{n}.html"] == 1 for n in range(1, 13))  # nothing fetched twice
    assert sum(not e.fresh for e in events2 if isinstance(e, Captured)) == first
    # a later export with --fetch again captures nothing; --refetch does, once each
    list(archiver.export([export], tmp_path / "out", settings))
    assert all(Web.hits[f"/article/{n}.html"] == 1 for n in range(1, 13))
    again = ExportSettings(formats=["warc"], fetch=True, fetch_private=True, refetch=True, capture="http")
    list(archiver.export([export], tmp_path / "out", again))
    assert all(Web.hits[f"/article/{n}.html"] == 2 for n in range(1, 13))
    assert all(Web.hits[f"/img/{n}.png"] == 2 for n in range(1, 13))


def test_a_compressed_page_is_read_and_kept_compressed_as_sent(web: str, tmp_path: Path) -> None:
    export = links(tmp_path / "in", [f"{web}/gzip/5"])
    list(archiver.export([export], tmp_path / "out", FETCH))
    [node] = json.loads((tmp_path / "out" / "manifest.json").read_text())["hasPart"]
    assert node["headline"] == "Story 5" and node["archiver:content"] == "full"
    [warc] = (tmp_path / "out").glob("warc/*.warc.gz")
    with warc.open("rb") as handle:
        raw = next(
            r.raw_stream.read()
            for r in ArchiveIterator(handle, no_record_parse=True)
            if r.rec_type == "response" and r.rec_headers.get_header("WARC-Target-URI").endswith("/gzip/5")
        )
    assert b"Content-Encoding: gzip" in raw and raw.endswith(gzip.compress(article_html(5), mtime=0))
    warcio_check(tmp_path / "out")


def test_a_chunked_page_is_kept_as_sent_and_the_same_image_twice_is_a_revisit(
    web: str, tmp_path: Path
) -> None:
    export = links(
        tmp_path / "in", [f"{web}/chunked/4", f"{web}/article/4.html", f"{web}/article/4.html?again"]
    )
    list(archiver.export([export], tmp_path / "out", FETCH))
    [warc] = (tmp_path / "out").glob("warc/*.warc.gz")
    with warc.open("rb") as handle:
        raw = {
            r.rec_headers.get_header("WARC-Target-URI"): r.raw_stream.read()
            for r in ArchiveIterator(handle, no_record_parse=True)
            if r.rec_type == "response"
        }
    assert (
        b"Transfer-Encoding: chunked" in raw[f"{web}/chunked/4"] and b"\r\n1f4\r\n" in raw[f"{web}/chunked/4"]
    )
    kinds = [(kind, uri.removeprefix(web)) for kind, uri, *_ in warc_records(tmp_path / "out")]
    # the same payload as sent is a revisit (the chunked copy's payload is its chunks: not the same)
    assert ("response", "/article/4.html") in kinds and ("revisit", "/article/4.html?again") in kinds
    assert kinds.count(("response", "/img/4.png")) == 1  # one image, three pages
    warcio_check(tmp_path / "out")


def test_politeness_bounds_connections_per_host(tmp_path: Path) -> None:
    from archiver.capture.pool import HostSlots, in_order

    slots, lock, busy, peak = HostSlots(2), threading.Lock(), [0], [0]

    def job(n: int) -> int:
        with slots.held("http://one.example/"):
            with lock:
                busy[0] += 1
                peak[0] = max(peak[0], busy[0])
            threading.Event().wait(0.02)
            with lock:
                busy[0] -= 1
        return n * n

    results = list(in_order(range(40), job, threads=8))
    assert results == [(n, n * n) for n in range(40)] and peak[0] == 2


def test_pywb_replays_a_captured_page_and_its_image_as_the_server_sent_them(
    pywb,
    web: str,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    export = links(tmp_path / "in", [f"{web}/hop/2/9"])
    list(
        archiver.export(
            [export],
            tmp_path / "out",
            ExportSettings(formats=["wacz"], fetch=True, fetch_private=True, capture="http"),
        )
    )
    [wacz] = (tmp_path / "out").glob("*.wacz")
    prefix = pywb(wacz)
    ts = "2030"  # pywb serves the capture closest in time
    assert replay(prefix, ts, f"{web}/article/9.html") == article_html(9)
    assert replay(prefix, ts, f"{web}/img/9.png") == png(9)


def test_addresses_on_the_command_line_are_an_input_of_their_own(web: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    events = list(archiver.export([f"{web}/article/3.html", f"{web}/gone"], out, FETCH))
    done = events[-1]
    assert isinstance(done, Finished) and (done.captured, done.dead) == (1, 1)
    nodes = json.loads((out / "manifest.json").read_text())["hasPart"]
    [path] = {n["prov:wasDerivedFrom"]["archiver:path"] for n in nodes}
    kept = out / ".archiver" / "inputs" / path  # the list of addresses, kept as the input it is
    assert kept.read_text() == f"{web}/article/3.html\n{web}/gone\n"
    assert all(check.ok for check in archiver.verify(out))
    # read without --fetch, an address is a link article, and nothing is fetched
    hits = sum(Web.hits.values())
    [link] = list(archiver.read([f"{web}/article/4.html"]))
    assert isinstance(link, Article) and link.content == "link" and sum(Web.hits.values()) == hits
    assert link.source.path == "addresses given on the command line"


def test_a_dead_page_is_taken_from_the_fallback_archive_and_said_to_be(web: str, tmp_path: Path) -> None:
    export = links(tmp_path / "in", [f"{web}/gone", f"{web}/missing"])
    settings = ExportSettings(
        formats=["warc"], fetch=True, fetch_private=True, fallback_archive=f"{web}/wayback", capture="http"
    )
    events = list(archiver.export([export], tmp_path / "out", settings))
    done = events[-1]
    assert isinstance(done, Finished) and (done.captured, done.dead) == (1, 1)
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    jsonschema.validate(manifest, SCHEMA)
    archived, dead = manifest["hasPart"]
    capture = archived["archiver:capture"]
    assert (capture["archive"], capture["live_problem"], capture["problem"]) == (
        f"{web}/wayback",
        "410 Gone",
        None,
    )
    assert capture["archived_at"] == "2020-01-02T03:04:05+00:00"
    assert [h["url"].removeprefix(web) for h in capture["hops"]] == [
        "/gone",  # the live answer, kept too
        f"/wayback/2id_/{web}/gone",
        f"/wayback/20200102030405id_/{web}/gone",
    ]
    # the article is the archive's copy, at the page's own address, never at the archive's
    assert (archived["headline"], archived["url"]) == ("Story 8", f"{web}/gone")
    assert dead["archiver:content"] == "link" and "not in" in dead["archiver:capture"]["problem"]
    # in the WARC, what came from the archive is at the archive's addresses: nothing claims a live capture
    responses = {uri for kind, uri, *_ in warc_records(tmp_path / "out") if kind == "response"}
    assert f"{web}/wayback/20200102030405id_/{web}/gone" in responses and f"{web}/gone" in responses
    warcio_check(tmp_path / "out")


def test_the_corpus_pages_captured_read_as_their_saved_files_do(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every saved page of ../shared/corpus served as it was saved and captured: the article
    read from the capture has the metadata that reading the saved file gives."""
    real = socket.getaddrinfo

    def loopback_only(host: str, *args: object, **kwargs: object) -> list[tuple[object, ...]]:
        if host not in ("127.0.0.1", "localhost"):  # the pages' own images: this web is offline
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", loopback_only)
    pages = sorted(p for p in corpus.rglob("*.html") if p.name != "expected.html")
    with serving(corpus) as web:
        export = links(tmp_path / "in", [f"{web}/corpus/{p.relative_to(corpus).as_posix()}" for p in pages])
        events = list(archiver.export([export], tmp_path / "out", FETCH))
    done = events[-1]
    assert isinstance(done, Finished) and done.captured == len(pages) > 80
    nodes = json.loads((tmp_path / "out" / "manifest.json").read_text())["hasPart"]
    read = [a for a in archiver.read(pages, jobs=None) if isinstance(a, Article)]  # all at once
    assert [a.source.path for a in read] == list(map(str, pages))
    agree = 0
    for saved, node in zip(read, nodes, strict=True):
        published = saved.published.isoformat() if saved.published else None
        agree += (node["headline"], [a["name"] for a in node["author"]], node["datePublished"]) == (
            saved.title,
            list(saved.authors),
            published,
        )
    print(f"\ncaptured corpus pages reading as their saved files: {agree}/{len(pages)}", file=sys.stderr)
    assert agree == len(pages)
    warcio_check(tmp_path / "out")


def test_a_capture_killed_midway_resumes_where_it_stopped(web: str, tmp_path: Path) -> None:
    """SIGKILL, not Ctrl-C: nothing of the export gets to clean up. The captures already kept
    are not fetched again, and the next run completes the package."""
    export = links(tmp_path / "in", [f"{web}/slowish/{n}" for n in range(24)])
    out = tmp_path / "out"
    command = [str(Path(sys.executable).parent / "archiver"), "export", str(export), "--out", str(out)]
    command += ["--fetch", "--fetch-private", "--capture", "http"]
    command += ["--format", "warc", "--connections", "2", "-q"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list((out / ".archiver" / "captures").rglob("*.json"))) < 6:
        time.sleep(0.05)
    process.kill()
    process.wait()
    kept = {json.loads(p.read_text())["requested"] for p in (out / ".archiver" / "captures").rglob("*.json")}
    assert 6 <= len(kept) < 24 and not (out / "manifest.json").exists()
    finished = subprocess.run(command, capture_output=True, text=True, check=False)
    assert finished.returncode == 0, finished.stderr
    nodes = json.loads((out / "manifest.json").read_text())["hasPart"]
    assert [n["headline"] for n in nodes] == [f"Story {n}" for n in range(24)]
    # what was captured before the kill is not fetched again; only what was in flight is (2 at once)
    assert all(Web.hits[url.removeprefix(web)] == 1 for url in kept), Web.hits
    assert sum(Web.hits[f"/slowish/{n}"] for n in range(24)) <= 24 + 2


def _peak_kib(command: list[str]) -> int:
    """Peak resident memory of a command, in KiB, measured by a process of its own."""
    probe = (
        "import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
        "stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, *command], capture_output=True, text=True, check=True
    )
    return int(result.stdout.strip())


def test_a_thousand_links_are_captured_in_bounded_memory(web: str, tmp_path: Path) -> None:
    """Captures stream to disk as they complete; what grows is only the package's articles."""
    archiver_bin = str(Path(sys.executable).parent / "archiver")
    peaks = {}
    for count in (100, 1000):
        export = links(tmp_path / f"in-{count}", [f"{web}/article/{n}.html" for n in range(count)])
        out = tmp_path / f"out-{count}"
        peaks[count] = _peak_kib(
            [
                archiver_bin,
                "export",
                str(export),
                "--out",
                str(out),
                "--fetch",
                "--fetch-private",
                "--capture",
                "http",
                "--format",
                "warc",
            ]
        )
        assert (
            json.loads((out / "manifest.json").read_text())["hasPart"][-1]["headline"] == f"Story {count - 1}"
        )
    per_link = (peaks[1000] - peaks[100]) / 900
    print(
        f"\npeak memory: 100 links {peaks[100]} KiB, 1000 links {peaks[1000]} KiB ({per_link:.0f} KiB a link)"
    )
    assert per_link < 64  # an article's text and its image in the package; nothing of the exchanges


def test_the_next_address_of_a_name_is_tried_when_one_takes_no_connection(
    web: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = int(web.rsplit(":", 1)[1])
    real = socket.getaddrinfo

    def dual(host: str, *args: object, **kwargs: object) -> list[tuple[object, ...]]:
        if host != "dual.example":
            return real(host, *args, **kwargs)  # type: ignore[arg-type]
        return [
            (socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("::1", port, 0, 0)),  # nobody listens there
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port)),
        ]

    monkeypatch.setattr(socket, "getaddrinfo", dual)
    store = ObjectStore(tmp_path / "objects")
    found, body = capture(
        f"http://dual.example:{port}/article/2.html", CaptureSettings(allow_private=True), store.put
    )
    assert body == article_html(2) and [h.ip for h in found.hops] == ["127.0.0.1"]


def test_no_answer_is_asked_again_next_run_and_a_dead_page_only_with_a_fallback(
    web: str, tmp_path: Path
) -> None:
    with socket.socket() as probe:  # a port nobody listens on: connection refused
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    export = links(tmp_path / "in", [f"http://127.0.0.1:{closed}/a", f"{web}/gone"])
    out = tmp_path / "out"
    first = list(archiver.export([export], out, FETCH))
    assert [e.problem is not None for e in first if isinstance(e, Captured)] == [True, True]
    again = list(archiver.export([export], out, FETCH))  # the refused one only: a 410 is an answer
    assert [e.url for e in again if isinstance(e, Captured)] == [f"http://127.0.0.1:{closed}/a"]
    assert Web.hits["/gone"] == 1
    fallback = ExportSettings(
        formats=["warc"], fetch=True, fetch_private=True, fallback_archive=f"{web}/wayback", capture="http"
    )
    last = list(archiver.export([export], out, fallback))
    assert [(e.url.rsplit("/", 1)[1], e.problem) for e in last if isinstance(e, Captured)][1] == (
        "gone",
        None,
    )
    assert Web.hits["/gone"] == 1  # the live answer kept from the first run; the archive asked now


def test_a_certificate_that_does_not_verify_is_a_tls_failure_not_a_capture(tmp_path: Path) -> None:
    """TLS is verified for the name even though the connection goes to a checked address: a
    self-signed certificate (made here by openssl) is refused."""
    import http.server
    import shutil
    import ssl

    openssl = shutil.which("openssl")
    assert openssl, "openssl is installed by scripts/install-test-tools.sh"
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
         "-days", "2", "-subj", "/CN=127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Web)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"https://127.0.0.1:{server.server_address[1]}/article/1.html"
        found, body = capture(url, CaptureSettings(allow_private=True), ObjectStore(tmp_path / "objects").put)
    finally:
        server.shutdown()
        server.server_close()
    assert body is None and (found.problem or "").startswith("TLS failed") and not found.hops
    assert "CERTIFICATE_VERIFY_FAILED" in (found.problem or "")


def test_inspect_with_fetch_shows_the_captured_articles(
    web: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("archiver.capture.fetcher.DEFAULT_CACHE", tmp_path / "cache")
    export = pocket_csv(tmp_path / "in", [f"{web}/article/6.html", f"{web}/gone"])
    story, gone = list(archiver.read([export], fetch_private=True, capture="http"))
    assert isinstance(story, Article) and (story.title, story.content, story.tags) == (
        "Story 6",
        "full",
        ("reading", "later"),
    )
    assert isinstance(gone, Article) and gone.content == "link" and gone.capture is not None
    assert gone.capture.problem == "410 Gone" and (tmp_path / "cache" / "captures").is_dir()
