"""What `--fetch` does: a link's page, or an image a page uses, captured live into a capture
store (the package's, or for `inspect` a cache), politely, once: an address captured before is
taken from the store unless the user asks to fetch it again (`--refetch`)."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from ..errors import ArchiverError
from ..model import Capture
from ..package.store import ObjectStore
from .pool import HostSlots
from .session import IMAGE_ACCEPT, PAGE_ACCEPT, CaptureSettings, capture
from .store import CaptureStore

DEFAULT_CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "archiver" / "fetch"


class CapturingFetcher:
    """Captures into `store`; the images it fetches satisfy `images.resolve.Fetcher`."""

    def __init__(self, store: CaptureStore, settings: CaptureSettings, refetch: bool = False) -> None:
        self.store = store
        self.settings = settings
        self.refetch = refetch
        self.slots = HostSlots(settings.per_host)
        self._fetched: set[str] = set()  # captured in this run: --refetch fetches each address once
        self._lock = threading.Lock()
        self.stopping = threading.Event()

    @classmethod
    def cached(cls, settings: CaptureSettings, folder: Path = DEFAULT_CACHE) -> CapturingFetcher:
        """A fetcher whose captures outlive the command (for `inspect`, which has no package)."""
        return cls(CaptureStore(folder / "captures", ObjectStore(folder / "objects")), settings)

    def page(self, url: str) -> tuple[Capture, bytes | None, bool]:
        """The capture of a link's page, its body when it is one, and whether it was fetched now
        (False: taken from the store)."""
        return self._capture(url, PAGE_ACCEPT)

    def fetch(self, url: str) -> bytes:
        """An image's bytes, captured (or taken from the store); ArchiverError when there are none."""
        found, body, _ = self._capture(url, IMAGE_ACCEPT)
        if body is None:
            raise ArchiverError(f"fetch failed ({found.problem})")
        return body

    def stop(self) -> None:
        """Ask the captures under way to end at their next read (Ctrl-C)."""
        self.stopping.set()

    def _capture(self, url: str, accept: str) -> tuple[Capture, bytes | None, bool]:
        with self._lock:
            kept = None if self.refetch and url not in self._fetched else self.store.get(url)
        if kept is not None:
            return kept, self.store.body(kept) if kept.problem is None else None, False
        with self.slots.held(url):
            found, body = capture(url, self.settings, self.store.put_bytes, accept, self.stopping)
        with self._lock:
            self._fetched.add(url)
        if found.hops:  # a server answered: that is the capture. No answer at all: try again next run
            self.store.put(found)
        return found, body, True
