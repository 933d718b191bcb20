"""Which library drives Chromium for --capture browser: Playwright (its routes, the DevTools Fetch
domain) against Selenium 4 (WebDriver BiDi's network interception, through chromedriver), both
driving Debian's Chromium, on the same job: start the browser, then load 20 pages, every request
paused and answered from Python (a page and its image), and take each page's DOM. One page at a
time, in one context: the floor of each library, not archiver's capture."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.web_server import article_html, png  # noqa: E402

Row = tuple[str, str, float, float | None, str]
PAGES = 20


def _answer(url: str) -> tuple[bytes, str]:
    name = url.rsplit("/", 1)[-1]
    if name.endswith(".png"):
        return png(int(name.split(".")[0])), "image/png"
    return article_html(int(name.split(".")[0])), "text/html; charset=utf-8"


def playwright_seconds(chromium: str) -> tuple[float, float, int]:
    from playwright.sync_api import Route, sync_playwright

    answered = 0

    def route(route: Route) -> None:
        nonlocal answered
        body, kind = _answer(route.request.url)
        answered += 1
        route.fulfill(status=200, body=body, headers={"content-type": kind})

    start = time.perf_counter()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page()
        page.route("**/*", route)
        page.goto("http://site.invalid/article/0.html")
        started = time.perf_counter() - start
        for n in range(1, PAGES + 1):
            page.goto(f"http://site.invalid/article/{n}.html", wait_until="load")
            page.content()
        browser.close()
    return started, time.perf_counter() - start - started, answered


def selenium_seconds(chromium: str, chromedriver: str) -> tuple[float, float, int]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    answered = 0

    def handle(request: object) -> None:
        nonlocal answered
        body, kind = _answer(request.url)  # type: ignore[attr-defined]
        answered += 1
        request.provide_response(  # type: ignore[attr-defined]
            status=200, headers={"content-type": kind}, body=body.decode("latin-1")
        )

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    options.enable_bidi = True
    for argument in ("--headless", "--no-sandbox", "--disable-gpu"):
        options.add_argument(argument)
    start = time.perf_counter()
    driver = webdriver.Chrome(options=options, service=Service(chromedriver))
    try:
        driver.network.add_request_handler("before_request", handle)
        driver.get("http://site.invalid/article/0.html")
        started = time.perf_counter() - start
        for n in range(1, PAGES + 1):
            driver.get(f"http://site.invalid/article/{n}.html")
            _ = driver.page_source
        return started, time.perf_counter() - start - started, answered
    finally:
        driver.quit()


def driver_rows() -> list[Row]:
    chromium, chromedriver = shutil.which("chromium"), shutil.which("chromedriver")
    if chromium is None:
        return [("drivers", "chromium (not installed)", float("nan"), None, "")]
    rows: list[Row] = []
    started, pages, answered = playwright_seconds(chromium)
    note = f"start {started:.2f} s; {PAGES / pages:.1f} pages/s; {answered} requests answered"
    rows.append(("drivers", "Playwright routes", started + pages, None, note))
    if chromedriver is None:
        return [*rows, ("drivers", "Selenium (no chromedriver)", float("nan"), None, "")]
    # In a process of its own, with a bound: a request its handler does not answer stops the page
    # load for good.
    child = subprocess.Popen(
        [sys.executable, __file__, "selenium", chromium, chromedriver],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # chromedriver and its browser with it, when the bound is reached
    )
    try:
        out, err = child.communicate(timeout=90)
    except subprocess.TimeoutExpired:
        import psutil

        stuck_processes = [psutil.Process(child.pid), *psutil.Process(child.pid).children(recursive=True)]
        for process in stuck_processes:  # Chromium starts processes of its own sessions
            with contextlib.suppress(psutil.Error):
                process.kill()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGKILL)
        child.communicate()
        stuck = "no page loaded in 90 s"
        return [*rows, ("drivers", "Selenium BiDi interception", float("nan"), None, stuck)]
    if child.returncode != 0:
        why = (err.strip().splitlines() or ["?"])[-1][:120]
        return [*rows, ("drivers", "Selenium BiDi interception", float("nan"), None, f"failed: {why}")]
    started, pages, answered = (float(value) for value in out.split())
    note = f"start {started:.2f} s; {PAGES / pages:.1f} pages/s; {answered:.0f} requests answered"
    rows.append(("drivers", "Selenium BiDi interception", started + pages, None, note))
    return rows


if __name__ == "__main__":
    if sys.argv[1:2] == ["selenium"]:
        print(*selenium_seconds(sys.argv[2], sys.argv[3]))
    else:
        for row in driver_rows():
            print(row)
