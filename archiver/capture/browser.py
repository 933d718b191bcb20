"""A link's page rendered in headless Chromium, with archiver as its only network.

Every request the page makes is paused in the browser (Playwright's routes, the DevTools Fetch
domain) and made by archiver's own client (fetcher.py: the address checks, the deadline and size
cap, politeness, the capture store), which then answers it. What cannot be paused is refused in
the browser itself: it resolves no name and has a proxy that does not exist, so that anything
that would slip past the routes (a redirect that Chromium follows on its own) fails there.
Each page gets a new browser context, which is a fresh, throwaway profile.

Playwright's asyncio API runs on a thread of its own; `render` may be called from many threads.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from importlib import metadata
from typing import TYPE_CHECKING, Any

from ..errors import ArchiverError
from ..images.in_html import SHOWN_ATTRIBUTE
from ..model import Capture, NotFetched
from ..urls import is_web_url
from .fetcher import CapturingFetcher
from .http import response_headers
from .session import IMAGE_ACCEPT, PAGE_ACCEPT, REDIRECTS, origin

if TYPE_CHECKING:
    from playwright.async_api import Browser as PlaywrightBrowser
    from playwright.async_api import BrowserContext, Page, Playwright, Route, WebSocketRoute

# Anything not paused by the routes must fail inside the browser: no name resolves, and every
# connection goes to a proxy at a name that cannot exist, loopback's too (which Chromium would
# otherwise send past any proxy).
NO_NETWORK = (
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--proxy-server=http://no-network.invalid:9",
    "--proxy-bypass-list=<-loopback>",
)
QUIET = (
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--disable-sync",
    "--dns-prefetch-disable",
    "--no-first-run",
    "--no-pings",
    "--disable-gpu",
)
ANSWER_SECONDS = 5.0  # for the page to run one of archiver's scripts, or to give its DOM or a screenshot
DENIED_PERMISSIONS = (
    *("notifications", "geolocation", "camera", "microphone", "midi", "clipboard-read"),
    *("clipboard-write", "persistent-storage", "background-sync", "screen-wake-lock", "idle-detection"),
    *("display-capture", "storage-access", "window-management", "local-fonts", "payment-handler"),
)
DROPPED_HEADERS = {"content-encoding", "content-length", "transfer-encoding", "connection", "keep-alive"}
REFUSED_BY_CHROMIUM = re.compile(r"(?:Not allowed to load local resource|Fetch API cannot load):? (\S+?)\.?$")


@dataclass(frozen=True)
class BrowserSettings:
    """How far a page is let go; the defaults are the command's."""

    executable: str
    pages: int = field(default_factory=lambda: min(8, 2 * (os.cpu_count() or 1)))  # rendered at once
    restart_after: int = 100  # pages, after which the browser starts afresh (its leaks are gone)
    load_seconds: float = 15.0  # to the page's load event
    settle_seconds: float = 10.0  # scrolling and waiting for quiet, after it
    quiet_seconds: float = 0.5  # no request and no change of the DOM for this long: settled
    step_seconds: float = 0.15  # between scroll steps
    max_steps: int = 40  # a page that grows as it is scrolled ends here
    heap_mib: int = 512  # a page's JavaScript heap; past it the renderer is killed (a crash)
    viewport: tuple[int, int] = (1280, 800)

    @property
    def page_seconds(self) -> float:
        """The most one page takes: loading, settling, then the screenshot and the DOM."""
        return self.load_seconds + self.settle_seconds + 4 * ANSWER_SECONDS


@dataclass
class Rendered:
    """What the browser made of a page."""

    dom: bytes | None = None  # the DOM after its scripts ran, UTF-8
    screenshot: bytes | None = None  # PNG of the first screen
    at: datetime = field(default_factory=lambda: datetime.now(UTC))
    requests: list[str] = field(default_factory=list)  # each captured by the fetcher
    not_fetched: list[NotFetched] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class Browser:
    """One Chromium for the whole run, started at the first page, restarted after
    `restart_after` pages or when it dies; at most `pages` pages at once."""

    def __init__(self, fetcher: CapturingFetcher, settings: BrowserSettings) -> None:
        self.fetcher = fetcher
        self.settings = settings
        self.version: str | None = None
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="browser", daemon=True)
        self._thread.start()
        self._requests = ThreadPoolExecutor(fetcher.settings.connections, thread_name_prefix="browser-fetch")
        self._playwright: Playwright | None = None
        self._browser: PlaywrightBrowser | None = None
        self._started = 0  # pages begun in the current browser
        self.launches = 0  # browsers started: one, and one more for each restart
        self._open: dict[int, int] = {}  # pages open in each browser, by its id()
        self._retired: list[PlaywrightBrowser] = []  # replaced, closed when their last page is
        self._slots = asyncio.Semaphore(settings.pages)  # bound to the browser's loop when first used

    def render(self, capture: Capture, body: bytes) -> tuple[Capture, bytes]:
        """The page of `capture` rendered: the capture with what the browser did (kept in the
        store), and the DOM to read the article from. When the browser fails on the page
        (a crash, a hang), the capture as it was with a warning saying so, and its body."""
        # _render bounds the page itself; past that, a turn for a slot (one page at most: the callers
        # are one more than the slots) and a browser to start
        budget = 2 * self.settings.page_seconds + 60
        future = asyncio.run_coroutine_threadsafe(self._render(capture), self._loop)
        try:
            rendered = future.result(budget)
        except Exception as exc:  # noqa: BLE001 - the browser's failure is this page's, not the run's
            future.cancel()
            why = "it took too long" if isinstance(exc, TimeoutError) else _short(exc)
            warning = f"not rendered in the browser ({why}); read as sent"
            return replace(capture, browser=self.version, warnings=(warning,)), body
        assert rendered.dom is not None and rendered.screenshot is not None  # _run sets both, or raises
        put = self.fetcher.store.put_bytes
        done = replace(
            capture,
            browser=self.version,
            rendered=put(rendered.dom),
            rendered_at=rendered.at,
            screenshot=put(rendered.screenshot),
            requests=tuple(dict.fromkeys(rendered.requests)),
            not_fetched=tuple(dict.fromkeys(rendered.not_fetched)),
            warnings=tuple(rendered.warnings),
        )
        self.fetcher.store.put(done)
        return done, rendered.dom

    def close(self) -> None:
        if self._thread.is_alive():
            with contextlib.suppress(Exception):
                asyncio.run_coroutine_threadsafe(self._close(), self._loop).result(30)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(30)
        if not self._thread.is_alive() and not self._loop.is_closed():
            self._loop.close()
        self._requests.shutdown(wait=False, cancel_futures=True)

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    async def _close(self) -> None:
        for browser in [*self._retired, *([self._browser] if self._browser else [])]:
            with contextlib.suppress(Exception):
                await browser.close()
        if self._playwright is not None:
            with contextlib.suppress(Exception):
                await self._playwright.stop()

    async def _current(self) -> PlaywrightBrowser:
        if self._playwright is None:
            from playwright.async_api import async_playwright

            self._playwright = await async_playwright().start()
        browser = self._browser
        worn = self._started >= self.settings.restart_after
        if browser is not None and (worn or not browser.is_connected()):
            self._retired.append(browser)
            self._browser = browser = None
            await self._close_idle_retired()
        if browser is None:
            args = [*QUIET, *NO_NETWORK, f"--js-flags=--max-old-space-size={self.settings.heap_mib}"]
            if hasattr(os, "geteuid") and os.geteuid() == 0:
                args.append("--no-sandbox")  # Chromium refuses root without it: a container's CI
            browser = await self._playwright.chromium.launch(
                executable_path=self.settings.executable,
                args=args,
                ignore_default_args=["--disable-popup-blocking"],  # Chromium's own blocker stays on
                handle_sigint=False,
            )
            self._browser, self._started = browser, 0
            self.launches += 1
            self.version = f"Chromium {browser.version} (Playwright {metadata.version('playwright')})"
        return browser

    async def _close_idle_retired(self) -> None:
        for browser in [b for b in self._retired if not self._open.get(id(b))]:
            self._retired.remove(browser)
            self._open.pop(id(browser), None)
            with contextlib.suppress(Exception):
                await browser.close()

    async def _render(self, capture: Capture) -> Rendered:
        async with self._slots:
            browser = await self._current()
            self._started += 1
            self._open[id(browser)] = self._open.get(id(browser), 0) + 1
            try:
                context = await browser.new_context(
                    service_workers="block",
                    accept_downloads=False,
                    java_script_enabled=True,
                    viewport={"width": self.settings.viewport[0], "height": self.settings.viewport[1]},
                )
                try:
                    visit = _Visit(self, context, capture).run()
                    return await asyncio.wait_for(visit, self.settings.page_seconds)
                finally:
                    with contextlib.suppress(Exception):
                        await asyncio.wait_for(context.close(), 10)
            finally:
                self._open[id(browser)] -= 1
                if browser is not self._browser:
                    await self._close_idle_retired()


class _Visit:
    """One page in one context: its requests answered, scrolled, settled, kept."""

    def __init__(self, owner: Browser, context: BrowserContext, capture: Capture) -> None:
        self.owner = owner
        self.settings = owner.settings
        self.context = context
        self.document = capture  # fetched already, by its address
        final = capture.final
        assert final is not None
        self.url = final.url
        self.origin = origin(final.url)
        self.result = Rendered()
        self.in_flight = 0
        self.last_activity = time.monotonic()
        self.crashed = False

    async def run(self) -> Rendered:
        try:
            return await self._run()
        except Exception as exc:
            if self.crashed:
                raise ArchiverError("the page crashed the browser's renderer") from exc
            if isinstance(exc, TimeoutError):
                raise ArchiverError(
                    f"the page's scripts did not answer within {ANSWER_SECONDS:.0f} s"
                ) from exc
            raise

    async def _js(self, expression: str, argument: Any = None) -> Any:
        """A script run in the page, which a page busy in a loop of its own may never run."""
        return await asyncio.wait_for(self.page.evaluate(expression, argument), ANSWER_SECONDS)

    async def _run(self) -> Rendered:
        context = self.context
        await context.add_init_script(_WATCH_DOM)
        await context.route("**/*", self._answer)
        await context.route_web_socket("**/*", self._refuse_socket)
        page = await context.new_page()
        self.page = page
        await _deny_permissions(context, page)
        context.on("page", self._popup)
        page.on("crash", lambda _: self._crash())
        page.on("console", self._console)
        page.on("dialog", lambda dialog: asyncio.ensure_future(dialog.dismiss()))
        try:
            await page.goto(self.url, wait_until="load", timeout=self.settings.load_seconds * 1000)
        except Exception as exc:
            if self.crashed or "Timeout" not in type(exc).__name__:
                raise
            self.result.warnings.append(
                f"the page had not loaded after {self.settings.load_seconds:.0f} s; read as it was then"
            )
        await self._settle(page)
        self.result.screenshot = await page.screenshot(timeout=ANSWER_SECONDS * 1000)
        overlay = await self._js(_OVERLAY)
        if overlay:
            self.result.warnings.append(
                f"an overlay covers {overlay['share']}% of the first screen ({overlay['what']}); "
                "recorded, not clicked"
            )
        await self._js(_MARK_SHOWN, SHOWN_ATTRIBUTE)
        self.result.dom = (await asyncio.wait_for(page.content(), ANSWER_SECONDS)).encode("utf-8")
        self.result.at = datetime.now(UTC)
        if self.crashed:
            raise ArchiverError("the page crashed the browser's renderer")
        return self.result

    async def _settle(self, page: Page) -> None:
        """Scroll a screen at a time to the end, so that lazy images load, then wait until no
        request is in flight and the DOM has not changed for `quiet_seconds`, all within
        `settle_seconds`; then back to the top for the screenshot."""
        deadline = time.monotonic() + self.settings.settle_seconds
        steps, previous = 0, await self._js("document.documentElement.scrollHeight")
        while steps < self.settings.max_steps and time.monotonic() < deadline:
            at_end = await self._js(_SCROLL)
            steps += 1
            await asyncio.sleep(self.settings.step_seconds)
            height = await self._js("document.documentElement.scrollHeight")
            if at_end and height == previous:
                break
            previous = height
        settled = False
        while time.monotonic() < deadline:
            still = await self._js("Date.now() - (window.__archiverChanged || 0)") / 1000
            idle = min(still, time.monotonic() - self.last_activity)
            if self.in_flight == 0 and idle >= self.settings.quiet_seconds:
                settled = True
                break
            await asyncio.sleep(0.1)
        if not settled:
            self.result.warnings.append(
                f"the page was still changing after {self.settings.settle_seconds:.0f} s; read as it was then"
            )
        await self._js("window.scrollTo(0, 0)")
        await asyncio.sleep(self.settings.step_seconds)

    async def _answer(self, route: Route) -> None:
        request = route.request
        url = request.url
        if self._from_popup(request):
            return await self._refuse(route, url, "a pop-up (refused)")
        if not is_web_url(url):
            return await self._refuse(route, url, "not a web address")
        if request.method not in ("GET", "HEAD"):
            return await self._refuse(route, url, f"a {request.method} request (archiver captures GET only)")
        self.in_flight += 1
        self.last_activity = time.monotonic()
        try:
            if url == self.url:
                capture = self.document
            else:
                accept = {"document": PAGE_ACCEPT, "image": IMAGE_ACCEPT}.get(request.resource_type, "*/*")
                # A private address only at the page's own origin, when the user allowed the page's:
                # a page may not make archiver reach into other hosts or ports of the user's network.
                loop = asyncio.get_running_loop()
                capture, _, _ = await loop.run_in_executor(
                    self.owner._requests, self.owner.fetcher.resource, url, accept, self.origin
                )
            final = capture.final
            if capture.hops and url != self.url:  # exchanges archiver made: the WARC holds them all
                self.result.requests.append(url)
            if final is None or final.status in REDIRECTS:  # Chromium would follow a redirect itself
                why = capture.problem or "no answer"
                if why.startswith("refused:") and self.owner.fetcher.settings.allow_private:
                    why = f"{why.split(';')[0]}; a page reaches private addresses only at its own origin"
                return await self._refuse(route, url, why)
            objects = self.owner.fetcher.store.objects
            # the entity as sent (a 404's page too), whatever the capture says of it
            headers = _headers(objects.get(final.response))
            await route.fulfill(status=final.status, headers=headers, body=objects.get(final.payload))
        except Exception as exc:  # noqa: BLE001 - one request failing is that request's
            with contextlib.suppress(Exception):
                await self._refuse(route, url, _short(exc))
        finally:
            self.in_flight -= 1
            self.last_activity = time.monotonic()

    async def _refuse(self, route: Route, url: str, why: str) -> None:
        self.result.not_fetched.append(NotFetched(url, why))
        await route.abort("blockedbyclient")

    async def _refuse_socket(self, socket: WebSocketRoute) -> None:
        self.result.not_fetched.append(NotFetched(socket.url, "a WebSocket (refused: not captured)"))
        await socket.close(code=1008, reason="refused by archiver")

    def _from_popup(self, request: Any) -> bool:
        try:
            return bool(request.frame.page is not self.page)
        except Exception:  # noqa: BLE001 - a request of no frame (a worker's) is the page's own
            return False

    def _popup(self, page: Page) -> None:
        if page is not self.page:
            self.result.not_fetched.append(NotFetched(page.url or "about:blank", "a pop-up (closed)"))
            asyncio.ensure_future(page.close())

    def _console(self, message: Any) -> None:
        """Chromium refuses file: (and other local) addresses before any route sees them, and
        says so only on the console: recorded from there."""
        found = REFUSED_BY_CHROMIUM.search(message.text or "")
        if found:
            refused = NotFetched(found.group(1), "a local file (refused by the browser)")
            self.result.not_fetched.append(refused)

    def _crash(self) -> None:
        self.crashed = True


async def _deny_permissions(context: BrowserContext, page: Page) -> None:
    """Every permission a page may ask for, denied in this context before it loads: a prompt
    nobody answers would otherwise leave the page waiting (on a secure origin)."""
    session = await context.new_cdp_session(page)  # kept: its overrides end when it is detached
    target = await session.send("Target.getTargetInfo")
    context_id = target["targetInfo"].get("browserContextId")
    denials = (
        session.send(
            "Browser.setPermission",
            {"permission": {"name": name}, "setting": "denied", "browserContextId": context_id},
        )
        for name in DENIED_PERMISSIONS
    )
    await asyncio.gather(*denials, return_exceptions=True)  # one this Chromium lacks is no matter


def _headers(raw_response: bytes) -> dict[str, str]:
    """The response's headers as the server sent them, less those about the transfer (the body
    handed to the browser is the decoded entity)."""
    headers: dict[str, str] = {}
    for name, value in response_headers(raw_response):
        key = name.lower()
        if key not in DROPPED_HEADERS:
            headers[key] = f"{headers[key]}\n{value}" if key in headers else value
    return headers


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:200]


# When the DOM last changed (ms since the epoch), for the settle wait.
_WATCH_DOM = """
new MutationObserver(() => { window.__archiverChanged = Date.now(); })
  .observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
"""

# One screen down; true when the end is in view.
_SCROLL = """() => {
  window.scrollBy(0, window.innerHeight);
  return window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 2;
}"""

# Each image marked with the address it shows: what srcset and <picture> chose for this screen.
_MARK_SHOWN = """(attribute) => {
  for (const img of document.images) {
    if (img.currentSrc && img.complete && img.naturalWidth > 0) img.setAttribute(attribute, img.currentSrc);
  }
}"""

# The largest fixed or sticky box over the first screen, when it covers a third of it or more:
# a consent wall or a newsletter box. It is reported, not clicked: a click is a choice made for
# the reader (accepting tracking, subscribing), and the article is in the DOM under it anyway.
_OVERLAY = """() => {
  const screen = window.innerWidth * window.innerHeight;
  let best = null;
  for (const el of document.querySelectorAll('body *')) {
    const style = getComputedStyle(el);
    if (style.position !== 'fixed' && style.position !== 'sticky') continue;
    if (style.visibility === 'hidden' || style.display === 'none' || Number(style.opacity) === 0) continue;
    const r = el.getBoundingClientRect();
    const w = Math.max(0, Math.min(r.right, window.innerWidth) - Math.max(r.left, 0));
    const h = Math.max(0, Math.min(r.bottom, window.innerHeight) - Math.max(r.top, 0));
    const share = Math.round(100 * w * h / screen);
    if (share >= 33 && (!best || share > best.share)) {
      const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
        + (el.classList.length ? '.' + [...el.classList].slice(0, 2).join('.') : '');
      const text = (el.innerText || '').trim().replace(/\\s+/g, ' ').slice(0, 60);
      best = {share, what: text ? `${name}: "${text}"` : name};
    }
  }
  return best;
}"""
