"""How `--fetch` captures a page: in headless Chromium when there is one (`auto`), or as sent."""

from __future__ import annotations

import importlib.util
import shutil
from typing import Literal

from ..errors import ArchiverError

CaptureMode = Literal["auto", "browser", "http"]
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
INSTALL = "install them with: apt install chromium (or your system's own) and pip install 'archiver[browser]'"


class BrowserMissing(ArchiverError):
    """--capture browser without Chromium or Playwright."""


def find_chromium() -> str | None:
    """The system's Chromium, if it has one and Playwright, which drives it, is installed."""
    if importlib.util.find_spec("playwright") is None:
        return None
    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


def choose(mode: CaptureMode) -> tuple[str | None, str | None]:
    """(Chromium's path, or None: pages as sent; a note saying what `auto` chose, or None)."""
    if mode == "http":
        return None, None
    found = find_chromium()
    if found is not None:  # auto's choice is said: a rendered capture is slower and heavier
        said = f"pages are rendered in {found}; --capture http takes them as sent, faster"
        return found, said if mode == "auto" else None
    if mode == "browser":
        raise BrowserMissing(f"--capture browser needs Chromium and Playwright; {INSTALL}")
    return None, f"pages are captured as sent, without a browser (their scripts do not run): {INSTALL}"
