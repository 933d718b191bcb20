"""--fetch of a saved page's images: nothing is fetched unless asked; when asked, only what is
allowed, and the WARC records the real HTTP exchange. The server is ours, on loopback."""

from __future__ import annotations

import http.server
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from warcio.archiveiterator import ArchiveIterator

from archiver.capture.fetcher import CapturingFetcher
from archiver.capture.session import CaptureSettings
from archiver.exporters import ExportOptions, warc
from archiver.model import Article, ResourceStatus
from archiver.readers import ReadOptions, read_inputs
from tests.test_resources import saved_page
from tests.test_sanitize import PNG
from tests.test_warc import records

pytestmark = pytest.mark.network


class _Handler(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []  # every path the server was asked for, across its threads

    def do_GET(self) -> None:
        _Handler.hits.append(self.path)
        body = PNG if self.path.endswith(".png") else b"<html>not an image</html>"
        self.send_response(200)
        self.send_header("Content-Type", "image/png" if self.path.endswith(".png") else "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Served-By", "archiver-test")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def server() -> Iterator[str]:
    _Handler.hits = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def page_with_images(folder: Path, base: str) -> Path:
    return saved_page(
        folder,
        "<p>" + "Words of the story. " * 30 + f'</p><img src="{base}/photo.png" alt="p">'
        f'<img src="{base}/fake.png.html" alt="f">',
    )


def test_no_connection_without_fetch(server: str, tmp_path: Path) -> None:
    [article] = [a for a in read_inputs([str(page_with_images(tmp_path, server))]) if isinstance(a, Article)]
    assert _Handler.hits == []
    assert [r.status for r in article.resources] == [ResourceStatus.REMOTE, ResourceStatus.REMOTE]


def test_private_addresses_are_refused_unless_allowed(server: str, tmp_path: Path) -> None:
    fetcher = CapturingFetcher.cached(CaptureSettings(), tmp_path / "cache")
    [article] = [
        a
        for a in read_inputs([str(page_with_images(tmp_path, server))], ReadOptions(fetcher=fetcher))
        if isinstance(a, Article)
    ]
    assert _Handler.hits == []
    assert all(
        r.status is ResourceStatus.MISSING and "private or local" in (r.reason or "")
        for r in article.resources
    )


def test_fetched_images_become_request_and_response_records(server: str, tmp_path: Path) -> None:
    fetcher = CapturingFetcher.cached(CaptureSettings(allow_private=True), tmp_path / "cache")
    [article] = [
        a
        for a in read_inputs([str(page_with_images(tmp_path, server))], ReadOptions(fetcher=fetcher))
        if isinstance(a, Article)
    ]
    photo, fake = article.resources
    assert photo.status is ResourceStatus.EMBEDDED and photo.resolved_by == "fetch" and photo.data == PNG
    assert fake.status is ResourceStatus.MISSING and "not an image" in (fake.reason or "")
    dest = tmp_path / "out.warc.gz"
    warc.write([article], dest, ExportOptions(captures=fetcher.store))
    found = records(dest)
    response = next(r for r in found if r["WARC-Type"] == "response")
    request = next(r for r in found if r["WARC-Type"] == "request")
    assert response["WARC-Target-URI"] == f"{server}/photo.png" == request["WARC-Target-URI"]
    assert request["WARC-Concurrent-To"] == response["WARC-Record-ID"]
    assert response["payload"] == PNG
    assert response["WARC-IP-Address"] == "127.0.0.1"
    with dest.open("rb") as handle:
        sent = next(r.http_headers for r in ArchiveIterator(handle) if r.rec_type == "request")
    assert sent.protocol == "GET" and sent.statusline == "/photo.png HTTP/1.1"  # as it was sent
    assert (sent.get_header("Host") or "").startswith("127.0.0.1:")
    assert (sent.get_header("User-Agent") or "").startswith("archiver/")
    assert response["WARC-Payload-Digest"].startswith("sha1:")
    with dest.open("rb") as handle:
        http = next(r.http_headers for r in ArchiveIterator(handle) if r.rec_type == "response")
    assert http.get_statuscode() == "200" and http.get_header("X-Served-By") == "archiver-test"
    check = subprocess.run(
        [str(Path(sys.executable).parent / "warcio"), "check", "-v", str(dest)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0 and "fail" not in check.stdout

    # A second run takes both captures from the store: nothing is fetched again.
    hits = len(_Handler.hits)
    again = CapturingFetcher.cached(CaptureSettings(allow_private=True), tmp_path / "cache")
    [cached] = [
        a
        for a in read_inputs([str(page_with_images(tmp_path, server))], ReadOptions(fetcher=again))
        if isinstance(a, Article)
    ]
    assert cached.resources[0].data == PNG and len(_Handler.hits) == hits
    assert "not an image" in (cached.resources[1].reason or "")
