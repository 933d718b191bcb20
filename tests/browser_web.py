"""A loopback web written for the browser capture tests: pages that need a browser to show their
article (built by fetch() from JSON, images loaded on scroll, srcset), pages that misbehave
(scripts reaching for other ports, private addresses and local files; a timer that never stops
changing the page; a WebSocket; a renderer crash) and an overlay over the article. It counts
every request, as web_server.py does; `Elsewhere` is another server that must never be asked."""

from __future__ import annotations

import http.server
import io
import json
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import ClassVar

from PIL import Image

GALLERY_IMAGES = 12
STORY_TITLE = "The river that ran backwards"
STORY = [
    f"Paragraph {n} of the river story: the survey team measured the current at dawn and at dusk, "
    f"and on the {n}th day the water in the lower channel was flowing upstream, against the slope, "
    "for almost an hour before it turned again, which the hydrologists later traced to a tidal "
    "surge pushing up the estuary far further than any chart allowed."
    for n in range(1, 9)
]
PARAGRAPHS = "".join(
    f"<p>Paragraph {n}: the page says what it says in the markup, so a capture without a browser reads "
    "it whole, and a capture with one reads the same words after the scripts have run.</p>"
    for n in range(1, 5)
)
STORY_CSS = b"body { background: #f3ecd8; font-family: serif; } h1 { color: #8a1c1c; font-size: 3em; }"
TINY_GIF = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///ywAAAAAAQABAAACAUwAOw=="


def picture(number: int, width: int = 320) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, 200), (number * 19 % 256, 120, 200 - number * 7 % 200)).save(out, "PNG")
    return out.getvalue()


def _page(title: str, body: str, script: str = "") -> bytes:
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{title}</title></head>"
        f"<body><header><a href='/'>Loopback Daily</a></header><main><article><h1>{title}</h1>{body}"
        f"</article></main><footer>Loopback Daily</footer><script>{script}</script></body></html>"
    ).encode()


def story_shell() -> bytes:
    """The article is not in the markup: a script fetches it as JSON and writes it in."""
    script = (
        "fetch('/js/story.json').then(r => r.json()).then(s => {"
        "document.title = s.title; document.querySelector('article').innerHTML = '<h1>' + s.title + "
        "'</h1>' + s.paragraphs.map(p => '<p>' + p + '</p>').join(''); });"
    )
    page = _page("Loading", "<p>Loading the story...</p>", script)
    styled = b"<link rel='stylesheet' href='/js/story.css'></head><body><img src='/js/masthead.png' alt=''>"
    return page.replace(b"</head><body>", styled)


def gallery() -> bytes:
    figures = "".join(
        f"<p>Stop {n} of the walk along the estuary, described at length so that each picture sits a "
        f"full screen below the one before it.</p><div style='height:700px'></div><figure><img "
        f"class='lazy' data-src='/lazy/img/{n}.png' src='{TINY_GIF}' width='320' height='200' "
        f"alt='Stop {n}'><figcaption>Stop {n}</figcaption></figure>"
        for n in range(1, GALLERY_IMAGES + 1)
    )
    script = (
        "const seen = new IntersectionObserver(entries => entries.forEach(e => {"
        "if (e.isIntersecting) { e.target.src = e.target.dataset.src; seen.unobserve(e.target); } }));"
        "document.querySelectorAll('img.lazy').forEach(img => seen.observe(img));"
    )
    return _page("A walk in twelve pictures", PARAGRAPHS + figures, script)


def reaching(other_port: int) -> bytes:
    """A page whose scripts reach for another port on loopback, a private address and a file."""
    script = (
        f"fetch('http://127.0.0.1:{other_port}/secret').catch(() => 0);"
        "fetch('http://10.20.30.40/router').catch(() => 0);"
        "fetch('file:///etc/passwd').catch(() => 0);"
        "fetch('/away').catch(() => 0);"  # a redirect to the other port
        "fetch('/bounce/a').catch(() => 0);"  # a redirect loop
    )
    images = (
        f"<img src='http://127.0.0.1:{other_port}/pixel.png' alt=''><img src='file:///etc/passwd' alt=''>"
    )
    return _page("A page that reaches too far", PARAGRAPHS + images, script)


def never_settles() -> bytes:
    script = (
        "let n = 0; setInterval(() => { const p = document.createElement('p');"
        "p.textContent = 'Live update ' + (++n); document.querySelector('article').appendChild(p); }, 150);"
    )
    return _page("Live blog that never stops", PARAGRAPHS, script)


def socket_page(port: int) -> bytes:
    script = (
        f"const ws = new WebSocket('ws://127.0.0.1:{port}/live'); ws.onmessage = () => 0;"
        "window.open('/popup.html');"  # and a pop-up, unasked
        "Notification.requestPermission().then(p => document.getElementById('asked').textContent = p);"
    )
    return _page(
        "A page with a live socket", PARAGRAPHS + "<p>Notifications: <b id='asked'>?</b></p>", script
    )


def crashing() -> bytes:
    """Past the JavaScript heap archiver allows a page, the renderer is killed: a crash."""
    script = "setTimeout(() => { const hoard = []; while (true) hoard.push(new Array(1e6).fill(1.5)); }, 50);"
    return _page("A page that eats its renderer", PARAGRAPHS, script)


def hanging() -> bytes:
    """Loads, then its script never returns: the page answers nothing more."""
    return _page("A page that stops answering", PARAGRAPHS, "setTimeout(() => { while (true) {} }, 300);")


def srcset_page() -> bytes:
    image = (
        "<img src='/srcset/large.png' srcset='/srcset/small.png 320w, /srcset/large.png 1600w' "
        "sizes='320px' alt='A chosen size'>"
    )
    return _page("The size the page chose", PARAGRAPHS + image)


def overlay_page() -> bytes:
    box = (
        "<div id='consent' style='position:fixed;top:0;left:0;width:100%;height:80%;background:#fff;"
        "z-index:9'>We value your privacy. Accept all cookies to continue reading."
        "<button>Accept</button></div>"
    )
    return _page("Behind a consent wall", PARAGRAPHS + box)


class BrowserWeb(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    hits: ClassVar[Counter[str]] = Counter()
    other_port: ClassVar[int] = 9
    lock = threading.Lock()

    def do_GET(self) -> None:
        with BrowserWeb.lock:
            BrowserWeb.hits[self.path] += 1
        port = self.server.server_address[1]
        pages = {
            "/js/story.html": story_shell,
            "/lazy/gallery.html": gallery,
            "/never-settles.html": never_settles,
            "/crash.html": crashing,
            "/hang.html": hanging,
            "/srcset.html": srcset_page,
            "/overlay.html": overlay_page,
        }
        path = self.path
        if path in pages:
            self._send(200, pages[path](), "text/html; charset=utf-8")
        elif path == "/socket.html":
            self._send(200, socket_page(int(port)), "text/html; charset=utf-8")
        elif path == "/reach.html":
            self._send(200, reaching(BrowserWeb.other_port), "text/html; charset=utf-8")
        elif path == "/away":
            self._redirect(f"http://127.0.0.1:{BrowserWeb.other_port}/away")
        elif path in ("/bounce/a", "/bounce/b"):
            self._redirect("/bounce/b" if path.endswith("a") else "/bounce/a")
        elif path == "/js/story.css":
            self._send(200, STORY_CSS, "text/css")
        elif path == "/js/masthead.png":
            self._send(200, picture(50, 600), "image/png")
        elif path == "/js/story.json":
            body = json.dumps({"title": STORY_TITLE, "paragraphs": STORY}).encode()
            self._send(200, body, "application/json")
        elif path.startswith("/lazy/img/"):
            self._send(200, picture(int(path.rsplit("/", 1)[1].split(".")[0])), "image/png")
        elif path in ("/srcset/small.png", "/srcset/large.png"):
            self._send(200, picture(99, 320 if "small" in path else 1600), "image/png")
        else:
            self._send(404, b"<html><body>not found</body></html>", "text/html")

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send(self, status: int, body: bytes, kind: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


class Elsewhere(http.server.BaseHTTPRequestHandler):
    """Another service on this machine, which no captured page may reach."""

    hits: ClassVar[Counter[str]] = Counter()

    def do_GET(self) -> None:
        Elsewhere.hits[self.path] += 1
        self.send_response(200)
        self.send_header("Content-Length", "6")
        self.end_headers()
        self.wfile.write(b"secret")

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def _server(handler: type[http.server.BaseHTTPRequestHandler]) -> Iterator[int]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def serving() -> Iterator[str]:
    """The web and the other service, each on a free loopback port; yields the web's address."""
    BrowserWeb.hits, Elsewhere.hits = Counter(), Counter()
    with _server(Elsewhere) as other, _server(BrowserWeb) as port:
        BrowserWeb.other_port = other
        yield f"http://127.0.0.1:{port}"


PAGES = (
    "/js/story.html",
    "/lazy/gallery.html",
    "/reach.html",
    "/never-settles.html",
    "/socket.html",
    "/crash.html",
    "/srcset.html",
    "/overlay.html",
)
