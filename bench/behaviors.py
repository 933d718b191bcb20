"""Lazy images loaded by scrolling: archiver's own scroll (capture/browser.py) against Browsertrix's
in-page autoscroll behaviour (the `browsertrix-behaviors` npm package, fetched with `npm pack`
into the work folder, never kept in the project: it is AGPL-3.0), on the same pages of the test
web (tests/browser_web.py), in the same browser: time to settle, and the images loaded."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import browser_web  # noqa: E402

Row = tuple[str, str, float, float | None, str]
LOADED = "[...document.images].filter(i => i.complete && i.naturalWidth > 1).length"


def _behaviors(work: Path) -> str | None:
    if shutil.which("npm") is None:
        return None
    done = subprocess.run(
        ["npm", "pack", "browsertrix-behaviors", "--silent"],
        cwd=work,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        return None
    with tarfile.open(work / done.stdout.strip().splitlines()[-1]) as packed:
        member = packed.extractfile("package/dist/behaviors.js")
        return member.read().decode() if member else None


def behavior_rows(work: Path) -> list[Row]:
    from playwright.sync_api import sync_playwright

    from archiver.capture.browser import _SCROLL

    chromium = shutil.which("chromium")
    script = _behaviors(work)
    if chromium is None or script is None:
        return [("lazy images", "browsertrix-behaviors (npm or chromium missing)", float("nan"), None, "")]
    rows: list[Row] = []
    with browser_web.serving() as web, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])

        def run(how: str) -> tuple[float, int]:
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            if how == "behaviors":
                context.add_init_script(script)
            page = context.new_page()
            page.goto(f"{web}/lazy/gallery.html", wait_until="load")
            start = time.perf_counter()
            if how == "behaviors":
                options = (
                    "autoscroll: true, autoplay: false, autofetch: false, siteSpecific: false, log: false"
                )
                page.evaluate(f"self.__bx_behaviors.run({{{options}}})")
            else:  # archiver's steps, without its quiet wait
                for _ in range(40):
                    at_end = page.evaluate(_SCROLL)
                    page.wait_for_timeout(150)
                    if at_end:
                        break
            page.wait_for_load_state("networkidle")
            seconds = time.perf_counter() - start
            loaded = page.evaluate(LOADED)
            context.close()
            return seconds, loaded

        for how in ("archiver", "behaviors"):
            seconds, loaded = run(how)
            tool = "archiver's scroll steps" if how == "archiver" else "browsertrix-behaviors autoscroll"
            rows.append(
                (
                    "lazy images",
                    tool,
                    seconds,
                    None,
                    f"{loaded} of {browser_web.GALLERY_IMAGES} images loaded",
                )
            )
        browser.close()
    return rows


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        for row in behavior_rows(Path(tmp)):
            print(row)
