"""A small web on loopback for the capture tests, written here: pages with images, redirect
chains and a loop, a slow server, a busy one (429 with Retry-After), dead pages (404, 410), a
huge body, a PDF, a chunked page, and the shared corpus's saved pages served as they were saved.
It counts every request, so that a test can say what was fetched, and how often."""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import threading
import time
import zlib
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ClassVar

from PIL import Image


def png(number: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40 + number % 20, 30), (number * 37 % 256, 90, 160)).save(out, "PNG")
    return out.getvalue()


def article_html(number: int) -> bytes:
    paragraphs = "".join(
        f"<p>Paragraph {p} of story {number}: the archive keeps what the reader read, and the "
        f"capture says when and from where it was read.</p>"
        for p in range(6)
    )
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Story {number} | Loopback "
        f"News</title><meta property='og:title' content='Story {number}'>"
        f"<meta name='author' content='Ada Example'></head><body><nav><a href='/'>Home</a> "
        f"Subscribe to our newsletter</nav><article><h1>Story {number}</h1>{paragraphs}"
        f"<figure><img src='/img/{number}.png' alt='figure {number}'><figcaption>Figure {number}"
        f"</figcaption></figure></article><footer>Copyright Loopback News</footer></body></html>"
    ).encode()


DRIP_SECONDS = 0.2  # between the bytes a dripping server sends: well within any read timeout


@functools.cache
def gzip_bomb(mib: int) -> bytes:
    """`mib` MiB of zeros, gzip-compressed (1 GiB gives about 1 MiB), made a MiB at a time."""
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    zeros = bytes(2**20)
    return b"".join(packer.compress(zeros) for _ in range(mib)) + packer.flush()


class Web(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    hits: ClassVar[Counter[str]] = Counter()
    corpus: ClassVar[Path | None] = None
    lock = threading.Lock()

    def do_GET(self) -> None:
        with Web.lock:
            Web.hits[self.path] += 1
            count = Web.hits[self.path]
        path = self.path
        if path.startswith("/article/"):
            self._send(200, article_html(int(path.split("/")[2].split(".")[0])), "text/html; charset=utf-8")
        elif path.startswith("/img/"):
            self._send(200, png(int(path.split("/")[2].split(".")[0])), "image/png")
        elif path.startswith("/hop/"):  # /hop/3/5 -> /hop/2/5 -> /hop/1/5 -> /article/5.html
            _, _, left, number = path.split("/")
            target = f"/article/{number}.html" if left == "1" else f"/hop/{int(left) - 1}/{number}"
            self._send(301, b"", "text/html", [("Location", target)])
        elif path in ("/loop/a", "/loop/b"):
            self._send(302, b"", "text/html", [("Location", "/loop/b" if path == "/loop/a" else "/loop/a")])
        elif path.startswith("/slowish/"):  # a page that takes a moment, to be interrupted
            time.sleep(0.3)
            self._send(200, article_html(int(path.split("/")[2])), "text/html")
        elif path == "/slow":
            time.sleep(3)
            self._send(200, article_html(0), "text/html")
        elif path.startswith("/busy/"):
            if count == 1:
                self._send(429, b"slow down", "text/plain", [("Retry-After", "1")])
            else:
                self._send(200, article_html(int(path.split("/")[2])), "text/html")
        elif path == "/gone":
            self._send(410, b"<html><body>gone</body></html>", "text/html")
        elif path == "/huge":
            self._send(200, b"<html><body><p>" + b"x" * 3_000_000 + b"</p></body></html>", "text/html")
        elif path == "/paper.pdf":
            self._send(200, b"%PDF-1.4\n% a paper\n%%EOF\n", "application/pdf")
        elif path.startswith("/gzip/"):  # compressed although archiver asks for identity
            body = gzip.compress(article_html(int(path.split("/")[2])), mtime=0)
            self._send(200, body, "text/html; charset=utf-8", [("Content-Encoding", "gzip")])
        elif path.startswith("/gzip-bomb/"):  # /gzip-bomb/MiB: that many MiB of zeros, gzipped to ~1/1000
            self._send(200, gzip_bomb(int(path.split("/")[2])), "text/html", [("Content-Encoding", "gzip")])
        elif path == "/drip-headers":  # a status line, then a header a byte at a time, never ending
            self._drip(b"HTTP/1.0 200 OK\r\nX: ")
        elif path == "/drip-body":  # headers, then the body a byte at a time, never ending
            self._drip(b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body><p>")
        elif path.startswith("/chunked/"):
            self._chunked(article_html(int(path.split("/")[2])))
        elif path.startswith("/wayback/2id_/"):  # a Wayback-style archive: its latest capture
            original = path.removeprefix("/wayback/2id_/")
            self._send(302, b"", "text/html", [("Location", f"/wayback/20200102030405id_/{original}")])
        elif path.startswith("/wayback/20200102030405id_/"):
            original = path.removeprefix("/wayback/20200102030405id_/")
            if original.endswith("/gone"):
                memento = [("Memento-Datetime", "Thu, 02 Jan 2020 03:04:05 GMT")]
                self._send(200, article_html(8), "text/html; charset=utf-8", memento)
            else:
                self._send(404, b"<html><body>not archived</body></html>", "text/html")
        elif path.startswith("/corpus/") and Web.corpus is not None:
            page = (Web.corpus / path.removeprefix("/corpus/")).resolve()
            if page.is_file() and page.is_relative_to(Web.corpus.resolve()):
                self._send(200, page.read_bytes(), "text/html")
            else:
                self._send(404, b"not found", "text/plain")
        else:
            self._send(404, b"<html><body>not found</body></html>", "text/html")

    def _send(self, status: int, body: bytes, kind: str, headers: list[tuple[str, str]] = ()) -> None:  # type: ignore[assignment]
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _drip(self, start: bytes) -> None:
        """`start`, then one byte every DRIP_SECONDS until the client hangs up."""
        self.close_connection = True
        try:
            self.wfile.write(start)
            while True:
                self.wfile.flush()
                time.sleep(DRIP_SECONDS)
                self.wfile.write(b"x")
        except OSError:
            return

    def _chunked(self, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for start in range(0, len(body), 500):
            part = body[start : start + 500]
            self.wfile.write(f"{len(part):x}\r\n".encode() + part + b"\r\n")
        self.wfile.write(b"0\r\n\r\n")

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def serving(corpus: Path | None = None) -> Iterator[str]:
    """The web on a free loopback port; yields its base address."""
    Web.hits = Counter()
    Web.corpus = corpus
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Web)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
