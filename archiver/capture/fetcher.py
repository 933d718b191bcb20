"""What `--fetch` does: a link's page, or an image a page uses, captured live into a capture
store (the package's, or for `inspect` a cache), politely, once: an address captured before is
taken from the store unless the user asks to fetch it again (`--refetch`)."""

from __future__ import annotations

import email.utils
import os
import threading
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import ArchiverError
from ..model import Capture
from ..package.store import ObjectStore
from .http import response_headers
from .pool import HostSlots
from .session import IMAGE_ACCEPT, PAGE_ACCEPT, CaptureSettings, capture
from .store import CaptureStore


def memento_datetime(response: bytes) -> datetime | None:
    """When a web archive captured what it returned: its Memento-Datetime header (RFC 7089)."""
    for name, value in response_headers(response):
        if name.lower() == "memento-datetime":
            try:
                return email.utils.parsedate_to_datetime(value).astimezone(UTC)
            except (TypeError, ValueError):
                return None
    return None


DEFAULT_CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "archiver" / "fetch"


class CapturingFetcher:
    """Captures into `store`; the images it fetches satisfy `images.resolve.Fetcher`."""

    def __init__(
        self,
        store: CaptureStore,
        settings: CaptureSettings,
        refetch: bool = False,
        fallback_archive: str | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.refetch = refetch
        self.fallback_archive = fallback_archive  # a Wayback-style endpoint, asked when a page is dead
        self.slots = HostSlots(settings.per_host)
        self._fetched: set[str] = set()  # captured in this run: --refetch fetches each address once
        self._lock = threading.Lock()
        self._unresolved: dict[str, str] = {}  # host -> its DNS failure, not asked again this run
        self.stopping = threading.Event()

    @classmethod
    def cached(cls, settings: CaptureSettings, folder: Path | None = None) -> CapturingFetcher:
        """A fetcher whose captures outlive the command (for `inspect`, which has no package)."""
        folder = folder or DEFAULT_CACHE
        return cls(CaptureStore(folder / "captures", ObjectStore(folder / "objects")), settings)

    def page(self, url: str) -> tuple[Capture, bytes | None, bool]:
        """The capture of a link's page, its body when it is one, and whether it was fetched now
        (False: taken from the store). A dead page is asked of the fallback archive, if any."""
        found, body, fresh = self._capture(url, PAGE_ACCEPT)
        if body is not None or self.fallback_archive is None:
            return found, body, fresh
        archived, body = self._from_archive(url, self.fallback_archive)
        if body is None:  # asked again on the next run with --fallback-archive: archives fill in
            return replace(found, problem=f"{found.problem}; {archived.problem}"), None, True
        combined = replace(
            archived, requested=url, hops=found.hops + archived.hops, live_problem=found.problem
        )
        self.store.put(combined)
        return combined, body, True

    def _from_archive(self, url: str, endpoint: str) -> tuple[Capture, bytes | None]:
        """The page as a Wayback-style archive has it (`ENDPOINT/2id_/URL`: its latest capture,
        the bytes as the archive received them), with when it captured them."""
        address = f"{endpoint.rstrip('/')}/2id_/{url}"
        with self.slots.held(address):
            found, body = capture(address, self.settings, self.store.put_bytes, PAGE_ACCEPT, self.stopping)
        if body is None or found.final is None:
            return replace(found, problem=f"not in {endpoint} either ({found.problem})"), None
        raw = self.store.objects.get(found.final.response)
        return replace(found, archive=endpoint, archived_at=memento_datetime(raw)), body

    def fetch(self, url: str) -> bytes:
        """An image's bytes, captured (or taken from the store); ArchiverError when there are none."""
        found, body, _ = self._capture(url, IMAGE_ACCEPT)
        if body is None:
            raise ArchiverError(f"fetch failed ({found.problem})")
        return body

    def resource(self, url: str, accept: str, page_origin: str) -> tuple[Capture, bytes | None, bool]:
        """What a page in the browser asked for, captured (or taken from the store): a private
        address only at the page's own origin, even with --fetch-private."""
        return self._capture(url, accept, page_origin)

    def stop(self) -> None:
        """Ask the captures under way to end at their next read (Ctrl-C)."""
        self.stopping.set()

    def _capture(
        self, url: str, accept: str, private_origin: str | None = None
    ) -> tuple[Capture, bytes | None, bool]:
        with self._lock:
            kept = None if self.refetch and url not in self._fetched else self.store.get(url)
        if kept is not None:
            return kept, self.store.body(kept) if kept.problem is None else None, False
        host = (urlsplit(url).hostname or "").lower()
        if host in self._unresolved:  # a page's twenty images on a host that does not resolve
            return Capture(url, problem=self._unresolved[host]), None, True
        settings = (
            self.settings if private_origin is None else replace(self.settings, private_origin=private_origin)
        )
        with self.slots.held(url):
            found, body = capture(url, settings, self.store.put_bytes, accept, self.stopping)
        with self._lock:
            self._fetched.add(url)
            if not found.hops and (found.problem or "").startswith("DNS:"):
                self._unresolved[host] = found.problem or ""
        if found.hops:  # a server answered: that is the capture. No answer at all: try again next run
            self.store.put(found)
        return found, body, True
