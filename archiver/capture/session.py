"""Capturing one address: each redirect hop checked and recorded, the final response kept, and a
busy server (429, 5xx) asked again after the wait it names, within bounds."""

from __future__ import annotations

import email.utils
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit

from .. import __version__
from ..errors import ArchiverError
from ..model import Capture, Hop
from ..urls import is_web_url
from .addresses import checked_addresses
from .http import ConnectFailed, Exchanged, Limits, exchange

REDIRECTS = (301, 302, 303, 307, 308)
RETRIED = (429, 500, 502, 503, 504)
PAGE_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
IMAGE_ACCEPT = "image/avif,image/webp,image/png,image/svg+xml,image/*;q=0.8,*/*;q=0.5"


@dataclass(frozen=True)
class CaptureSettings:
    """How politely and how far a capture goes; the defaults are the command's."""

    allow_private: bool = False  # loopback, private and link-local addresses too (--fetch-private)
    # With allow_private, private addresses only at this origin (a page's own, for what the page
    # asks for in the browser); checked at every hop, so a redirect cannot take a request elsewhere
    private_origin: str | None = None
    limits: Limits = field(default_factory=Limits)
    max_redirects: int = 10
    retries: int = 3  # further tries after a 429 or a 5xx
    backoff: float = 1.0  # seconds before the first retry, doubled for each next one
    max_wait: float = 120.0  # the longest Retry-After honoured; a longer one ends the tries
    connections: int = 8  # at once, overall
    per_host: int = 2  # at once, to one host
    user_agent: str = f"archiver/{__version__} (saved-article capture; +https://pypi.org/project/archiver/)"


Put = Callable[[bytes], str]  # bytes into the package's object store -> their sha256


def capture(
    url: str,
    settings: CaptureSettings,
    put: Put,
    accept: str = PAGE_ACCEPT,
    stopping: threading.Event | None = None,
) -> tuple[Capture, bytes | None]:
    """The capture of `url` and the final response's body (None when there is no page)."""
    hops: list[Hop] = []
    current = url
    seen = {url}
    while True:
        try:
            got = _with_retries(current, settings, accept, stopping or threading.Event())
        except ArchiverError as exc:
            return Capture(url, tuple(hops), problem=str(exc)), None
        hops.append(_hop(got, put))
        location = got.header("Location")
        if got.status not in REDIRECTS or not location:
            break
        target = urljoin(current, location.strip())
        if target in seen:
            return Capture(url, tuple(hops), problem=f"a redirect loop (back to {target})"), None
        if len(hops) > settings.max_redirects:
            return Capture(url, tuple(hops), problem=f"more than {settings.max_redirects} redirects"), None
        if not is_web_url(target):
            return Capture(url, tuple(hops), problem=f"a redirect to a non-web address ({target[:80]})"), None
        seen.add(target)
        current = target
    if not 200 <= got.status < 300:
        return Capture(url, tuple(hops), problem=f"{got.status} {got.reason}".strip()), None
    if got.truncated:
        problem = f"larger than {settings.limits.max_bytes // 2**20} MiB; kept truncated"
        return Capture(url, tuple(hops), problem=problem), None
    return Capture(url, tuple(hops)), got.body


def _with_retries(url: str, settings: CaptureSettings, accept: str, stopping: threading.Event) -> Exchanged:
    headers = {
        "User-Agent": settings.user_agent,
        "Accept": accept,
        "Accept-Encoding": "identity",  # the bytes as the server has them, as wget asks for
        "Connection": "close",
    }
    for attempt in range(settings.retries + 1):
        allowed = settings.allow_private and settings.private_origin in (None, origin(url))
        got = _first_answer(url, checked_addresses(url, allowed), headers, settings, stopping)
        if got.status not in RETRIED or attempt == settings.retries:
            return got
        wait = max(retry_after(got.header("Retry-After")) or 0.0, settings.backoff * 2**attempt)
        if wait > settings.max_wait:
            return got
        if stopping.wait(wait):
            raise ArchiverError("stopped")
    raise AssertionError("unreachable")


def _first_answer(
    url: str,
    addresses: list[str],
    headers: dict[str, str],
    settings: CaptureSettings,
    stopping: threading.Event,
) -> Exchanged:
    """The exchange with the first of the name's checked addresses that takes the connection."""
    failed: ConnectFailed | None = None
    for ip in addresses:
        try:
            return exchange(url, ip, headers, settings.limits, stopping)
        except ConnectFailed as exc:
            failed = exc
    raise failed or ArchiverError("no address to connect to")


def origin(url: str) -> str:
    """scheme://host:port, the port always written: what a page's own requests share."""
    parts = urlsplit(url)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        port = 0
    return f"{parts.scheme}://{(parts.hostname or '').lower()}:{port}"


def retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait, from a Retry-After header: a number of seconds or an HTTP date."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _hop(got: Exchanged, put: Put) -> Hop:
    return Hop(
        url=got.url,
        at=got.at,
        ip=got.ip,
        status=got.status,
        reason=got.reason,
        content_type=got.header("Content-Type"),
        request=put(got.request),
        response=put(got.response),
        payload=put(got.body),
        truncated=got.truncated,
    )
