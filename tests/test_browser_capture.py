"""--capture browser: pages rendered in headless Chromium, every request the page makes made by
archiver's own client. On a loopback web written here (tests/browser_web.py): an article built by
fetch(), twelve images loaded on scroll, srcset, an overlay, and pages that misbehave (reaching
for another port, a private address and a local file; never settling; a WebSocket; a crash; a
script that never returns). One browser export of them all, and one plain (--capture http) export
of the pages a browser changes, are made once for the module."""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from lxml import html as lxml_html
from PIL import Image, ImageChops, ImageStat

from tests.browser_web import (
    GALLERY_IMAGES,
    PAGES,
    STORY,
    STORY_TITLE,
    BrowserWeb,
    Elsewhere,
    picture,
    serving,
)
from tests.conftest import ROOT
from tests.helpers import warc_records
from tests.validators import epubcheck_problems, require

pytestmark = [pytest.mark.browser, pytest.mark.network]

ARCHIVER = str(Path(sys.executable).parent / "archiver")
HANG = "/hang.html"


@dataclass
class Export:
    web: str
    out: Path
    manifest: dict[str, Any]
    hits: dict[str, int]
    elsewhere: dict[str, int]
    seconds: float

    def article(self, path: str) -> dict[str, Any]:
        url = self.web + path
        return next(a for a in self.manifest["hasPart"] if a["archiver:capture"]["requested"] == url)

    def chapter(self, title: str) -> lxml_html.HtmlElement:
        [book] = self.out.glob("*.epub")
        with zipfile.ZipFile(book) as epub:
            for name in epub.namelist():
                if name.endswith(".xhtml") and title.encode() in epub.read(name):
                    return lxml_html.fromstring(epub.read(name))
        raise AssertionError(f"no chapter holds {title!r}")

    def epub_image(self, src: str) -> bytes:
        [book] = self.out.glob("*.epub")
        with zipfile.ZipFile(book) as epub:
            return epub.read(f"EPUB/{src}")

    def records(self) -> list[tuple[str, str, dict[str, str], bytes, object]]:
        return warc_records(self.out)


def _export(web: str, out: Path, paths: list[str], capture: str, formats: tuple[str, ...]) -> Export:
    command = [ARCHIVER, "export", *(web + p for p in paths), "--out", str(out), "--fetch", "--fetch-private"]
    command += ["--capture", capture, *(f"--format={f}" for f in formats)]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    assert done.returncode == 0, done.stderr[-3000:]
    manifest = json.loads((out / "manifest.json").read_text())
    return Export(web, out, manifest, dict(BrowserWeb.hits), dict(Elsewhere.hits), seconds)


@pytest.fixture(scope="module")
def web() -> Iterator[str]:
    require("chromium")
    with serving() as base:
        yield base


@pytest.fixture(scope="module")
def rendered(web: str, tmp_path_factory: pytest.TempPathFactory) -> Export:
    out = tmp_path_factory.mktemp("browser") / "out"
    return _export(web, out, [*PAGES, HANG], "browser", ("epub", "warc", "wacz"))


@pytest.fixture(scope="module")
def plain(web: str, rendered: Export, tmp_path_factory: pytest.TempPathFactory) -> Export:
    out = tmp_path_factory.mktemp("http") / "out"
    return _export(
        web, out, ["/js/story.html", "/lazy/gallery.html", "/srcset.html"], "http", ("epub", "warc")
    )


def _words(text: str) -> int:
    return len(text.split())


def test_an_article_built_by_fetch_is_thin_as_sent_and_whole_as_rendered(
    rendered: Export, plain: Export
) -> None:
    as_sent = plain.article("/js/story.html")
    assert any("only" in w and "--capture browser" in w for w in as_sent["archiver:warnings"])
    sent_text = plain.chapter("Loading").text_content()
    assert STORY[0] not in sent_text and _words(sent_text) < 60
    chapter = rendered.chapter(STORY_TITLE)
    text = " ".join(chapter.text_content().split())
    assert all(paragraph in text for paragraph in STORY)
    assert rendered.article("/js/story.html")["headline"] == STORY_TITLE
    capture = rendered.article("/js/story.html")["archiver:capture"]
    asked = ["story.css", "masthead.png", "story.json"]
    assert sorted(capture["requests"]) == sorted(f"{rendered.web}/js/{name}" for name in asked)
    assert capture["browser"].startswith("Chromium ")


def test_twelve_images_loaded_on_scroll_are_in_the_epub_and_the_warc(rendered: Export) -> None:
    chapter = rendered.chapter("A walk in twelve pictures")
    sources = [img.get("src") for img in chapter.iter("{*}img", "img")]
    assert len(sources) == GALLERY_IMAGES
    shown = {rendered.epub_image(src) for src in sources}
    assert shown == {picture(n) for n in range(1, GALLERY_IMAGES + 1)}
    responses = {
        uri: body
        for kind, uri, _, body, _ in rendered.records()
        if kind == "response" and "/lazy/img/" in uri
    }
    assert len(responses) == GALLERY_IMAGES
    for n in range(1, GALLERY_IMAGES + 1):
        assert responses[f"{rendered.web}/lazy/img/{n}.png"].endswith(picture(n))
        assert rendered.hits[f"/lazy/img/{n}.png"] == 1  # fetched once, by archiver, for the browser


def test_srcset_gives_the_image_the_page_showed(rendered: Export, plain: Export) -> None:
    def width(export: Export) -> int:
        [img] = export.chapter("The size the page chose").iter("{*}img", "img")
        return Image.open(io.BytesIO(export.epub_image(img.get("src")))).width

    assert width(rendered) == 320  # sizes=320px on a 1x screen: the small one
    assert width(plain) == 1600  # without a browser, the largest the markup offers
    assert "/srcset/large.png" not in rendered.hits or rendered.hits["/srcset/large.png"] == 1  # plain's


def test_nothing_a_page_reaches_for_beyond_its_own_origin_is_fetched(rendered: Export) -> None:
    assert rendered.elsewhere == {}  # the other port's server was never asked
    refused = {
        item["url"]: item["why"]
        for item in rendered.article("/reach.html")["archiver:capture"]["not_fetched"]
    }
    other = f"http://127.0.0.1:{BrowserWeb.other_port}"
    assert refused[f"{other}/secret"].startswith("refused: 127.0.0.1 is a private or local address")
    assert "only at its own origin" in refused[f"{other}/pixel.png"]
    assert refused["http://10.20.30.40/router"].startswith("refused: 10.20.30.40 is a private")
    assert refused["file:///etc/passwd"] == "a local file (refused by the browser)"
    assert refused[f"{rendered.web}/away"].startswith("refused: 127.0.0.1 is a private")  # at the hop
    assert refused[f"{rendered.web}/bounce/a"].startswith("a redirect loop")
    assert rendered.hits["/away"] == 1 and rendered.hits["/bounce/b"] == 1  # followed by archiver, once
    made = {(kind, uri) for kind, uri, *_ in rendered.records() if kind == "response"}
    assert {("response", f"{rendered.web}{path}") for path in ("/away", "/bounce/a", "/bounce/b")} <= made
    assert set(refused) - {f"{rendered.web}/away", f"{rendered.web}/bounce/a"} == {
        f"{other}/secret",
        f"{other}/pixel.png",
        "http://10.20.30.40/router",
        "file:///etc/passwd",
    }


def test_pages_that_misbehave_are_bounded_and_reported_and_the_rest_come_out(rendered: Export) -> None:
    assert len(rendered.manifest["hasPart"]) == len(PAGES) + 1  # every link is an article
    settles = rendered.article("/never-settles.html")["archiver:capture"]
    assert settles["warnings"] == ["the page was still changing after 10 s; read as it was then"]
    assert settles["rendered"] is not None  # read as it was then
    socket = rendered.article("/socket.html")["archiver:capture"]
    assert socket["not_fetched"] == [
        {"url": f"ws://{rendered.web[7:]}/live", "why": "a WebSocket (refused: not captured)"}
    ]
    assert "/live" not in rendered.hits and "/popup.html" not in rendered.hits  # nor its pop-up
    assert "Notifications: denied" in rendered.chapter("A page with a live socket").text_content()
    crash = rendered.article("/crash.html")
    assert crash["archiver:capture"]["warnings"] == [
        "not rendered in the browser (the page crashed the browser's renderer); read as sent"
    ]
    assert crash["headline"] == "A page that eats its renderer"  # read from the page as sent
    hang = rendered.article(HANG)["archiver:capture"]
    assert hang["warnings"][0].startswith("not rendered in the browser (the page's scripts did not answer")
    assert rendered.seconds < 90


def test_an_overlay_is_recorded_not_clicked(rendered: Export) -> None:
    capture = rendered.article("/overlay.html")["archiver:capture"]
    [warning] = capture["warnings"]
    assert warning.startswith(
        'an overlay covers 80% of the first screen (div#consent: "We value your privacy'
    )
    assert "Paragraph 1" in rendered.chapter("Behind a consent wall").text_content()


def test_the_warc_holds_the_dom_the_screenshot_and_the_browser(rendered: Export) -> None:
    records = rendered.records()
    warcinfo = records[0][3].decode()
    assert "browser: Chromium " in warcinfo and "(Playwright " in warcinfo
    page = f"{rendered.web}/js/story.html"
    by_uri = {(kind, uri): (headers, body) for kind, uri, headers, body, _ in records}
    response_id = by_uri[("response", page)][0]["WARC-Record-ID"]
    dom_headers, dom = by_uri[("resource", f"urn:dom:{page}")]
    assert STORY[3].encode() in dom and dom_headers["WARC-Concurrent-To"] == response_id
    view_headers, view = by_uri[("resource", f"urn:view:{page}")]
    assert view_headers["Content-Type"] == "image/png" and Image.open(io.BytesIO(view)).size == (1280, 800)
    assert ("response", f"{rendered.web}/js/story.json") in by_uri  # what the page's script fetched


def test_the_outputs_pass_their_validators(rendered: Export) -> None:
    [warc] = rendered.out.glob("warc/*.warc.gz")
    check = subprocess.run(
        [str(Path(sys.executable).parent / "warcio"), "check", str(warc)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    [book] = rendered.out.glob("*.epub")
    assert epubcheck_problems(book) == {str(book): []}
    jsonschema.validate(
        rendered.manifest, json.loads((ROOT / "schemas" / "manifest.schema.json").read_text())
    )
    verify = subprocess.run(
        [ARCHIVER, "verify", str(rendered.out)], capture_output=True, text=True, check=False
    )
    assert verify.returncode == 0, verify.stdout + verify.stderr


def test_a_run_killed_midway_fetches_nothing_twice_when_resumed(tmp_path: Path) -> None:
    """SIGKILL to the command and its browser: what was captured before is not fetched again by
    the next run, which renders the pages from the captures kept; only what was in flight then
    (at most the connections, 8) is asked again."""
    with serving() as web:
        pages = ["/lazy/gallery.html", "/js/story.html", "/srcset.html", "/overlay.html"]
        out = tmp_path / "out"
        command = [ARCHIVER, "export", *(web + p for p in pages), "--out", str(out)]
        command += ["--fetch", "--fetch-private", "--capture", "browser", "--format", "warc", "-q"]
        first = subprocess.Popen(
            command, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(list((out / ".archiver" / "captures").rglob("*.json"))) < 8:
            time.sleep(0.02)
        os.killpg(first.pid, signal.SIGKILL)  # the command, its browser and all
        first.wait()
        kept = {
            json.loads(p.read_text())["requested"] for p in (out / ".archiver" / "captures").rglob("*.json")
        }
        assert len(kept) >= 8 and not (out / "manifest.json").exists()
        asked_before = sum(BrowserWeb.hits.values())
        subprocess.run(command, check=True)
        assert all(BrowserWeb.hits[url.removeprefix(web)] == 1 for url in kept), BrowserWeb.hits
        again = sum(BrowserWeb.hits.values()) - len(BrowserWeb.hits)
        assert again <= 8 and sum(BrowserWeb.hits.values()) > asked_before
        manifest = json.loads((out / "manifest.json").read_text())
        assert [a["archiver:capture"].get("rendered") is not None for a in manifest["hasPart"]] == [True] * 4
        assert len(manifest["hasPart"][0]["archiver:capture"]["requests"]) == GALLERY_IMAGES


def test_pywb_replays_the_rendered_page_from_the_wacz_as_it_was_captured(
    pywb: Any, rendered: Export, tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    [wacz] = rendered.out.glob("*.wacz")
    prefix = pywb(wacz)
    page_url = f"{rendered.web}/js/story.html"
    captured = next(body for kind, uri, _, body, _ in rendered.records() if uri == f"urn:view:{page_url}")
    live_before = dict(BrowserWeb.hits)
    elsewhere: list[str] = []

    def only_pywb(route: Any) -> None:  # replay from the WACZ alone: the live web is out of reach
        if route.request.url.startswith(prefix.rsplit("/", 1)[0] + "/"):  # pywb's collection and its scripts
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=require("chromium"), args=_root_args())
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.route("**/*", only_pywb)
        page.goto(f"{prefix}/2030/{page_url}", wait_until="networkidle")  # in pywb's frame, under its banner
        frame = page.locator("iframe").first
        page.frames[1].wait_for_function(f"document.body.innerText.includes({json.dumps(STORY[7][:40])})")
        page.frames[1].wait_for_function("[...document.images].every(i => i.complete && i.naturalWidth > 0)")
        replayed = frame.screenshot()
        browser.close()
    (tmp_path / "captured.png").write_bytes(captured)
    (tmp_path / "replayed.png").write_bytes(replayed)
    shown = Image.open(io.BytesIO(replayed)).convert("RGB")
    first_screen = (
        Image.open(io.BytesIO(captured)).convert("RGB").crop((0, 0, *shown.size))
    )  # less the banner
    assert shown.getpixel((5, shown.height - 5)) == (0xF3, 0xEC, 0xD8)  # the page's own stylesheet
    assert (
        ImageStat.Stat(shown.convert("L").point(lambda v: 255 if v < 128 else 0)).mean[0] / 255 > 0.02
    )  # text
    changed = ImageChops.difference(first_screen, shown).convert("L").point(lambda v: 255 if v > 32 else 0)
    differs = ImageStat.Stat(changed).mean[0] / 255
    print(
        f"\nscreenshots: {tmp_path / 'captured.png'} and {tmp_path / 'replayed.png'}: "
        f"{differs:.2%} of pixels differ"
    )
    assert differs < 0.02
    assert elsewhere == [] and dict(BrowserWeb.hits) == live_before


def _chromium_main_processes() -> list[str]:
    """The command lines of this process's running Chromium browsers (not their helpers)."""
    import psutil

    found = []
    for process in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.Error):
            command = process.cmdline()
            if (
                command
                and command[0].endswith("/chromium")
                and not any(a.startswith("--type=") for a in command)
            ):
                found.append(" ".join(command))
    return found


def _root_args() -> list[str]:
    return ["--no-sandbox"] if os.geteuid() == 0 else []


def test_the_browser_starts_afresh_after_its_pages_and_after_it_dies(tmp_path: Path) -> None:
    import psutil

    from archiver.capture.browser import Browser, BrowserSettings
    from archiver.capture.fetcher import CapturingFetcher
    from archiver.capture.session import CaptureSettings
    from archiver.capture.store import CaptureStore
    from archiver.package.store import ObjectStore

    store = CaptureStore(tmp_path / "captures", ObjectStore(tmp_path / "objects"))
    fetcher = CapturingFetcher(store, CaptureSettings(allow_private=True))
    with serving() as web, Browser(fetcher, BrowserSettings(require("chromium"), restart_after=2)) as browser:

        def render(path: str) -> Any:
            capture, body, _ = fetcher.page(web + path)
            assert body is not None
            return browser.render(capture, body)[0]

        done = [render(path) for path in ("/js/story.html", "/srcset.html", "/overlay.html")]
        assert browser.launches == 2 and all(capture.rendered for capture in done)
        assert len(_chromium_main_processes()) == 1  # the first browser closed once its pages were done
        chromium = []
        for process in psutil.Process().children(recursive=True):
            with contextlib.suppress(psutil.NoSuchProcess):  # Chromium's helpers come and go
                if "chrom" in process.name():
                    process.kill()  # the whole browser dies between pages
                    chromium.append(process)
        assert chromium
        psutil.wait_procs(chromium, timeout=10)
        after = render("/lazy/gallery.html")
        assert browser.launches == 3 and after.rendered and len(after.requests) == GALLERY_IMAGES


def test_the_browser_itself_reaches_nothing_when_a_request_is_not_paused(web: str) -> None:
    """The flags archiver starts Chromium with, alone, no routes: what would slip past them (a
    redirect Chromium followed itself) finds no name resolved and no proxy, loopback included."""
    from playwright.sync_api import Error, sync_playwright

    from archiver.capture.browser import NO_NETWORK, QUIET

    other = f"http://127.0.0.1:{BrowserWeb.other_port}/direct"
    by_name = web.replace("127.0.0.1", "localhost") + "/direct-by-name"  # /etc/hosts: no DNS query
    with sync_playwright() as playwright:
        arguments = [*QUIET, *NO_NETWORK, *_root_args()]
        browser = playwright.chromium.launch(executable_path=require("chromium"), args=arguments)
        page = browser.new_page()
        for address in (other, by_name):
            with pytest.raises(Error, match="ERR_PROXY_CONNECTION_FAILED|ERR_NAME_NOT_RESOLVED"):
                page.goto(address, timeout=10_000)
        browser.close()
    assert "/direct" not in Elsewhere.hits and "/direct-by-name" not in BrowserWeb.hits
