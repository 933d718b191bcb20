"""Fetching remote images, only when the user asks for it (--fetch).

http(s) only, a timeout, a size cap, the bytes must be an image, redirects re-checked, and no
loopback, private or link-local addresses unless allowed: a saved page must not be able to make
archiver probe the user's own network. Results are cached on disk by URL.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import os
import socket
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from .. import __version__
from ..atomic import write_atomic
from ..errors import ArchiverError
from ..urls import is_web_url
from .sniff import sniff_image

DEFAULT_CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "archiver" / "fetch"


@dataclass(frozen=True)
class Exchange:
    """One HTTP fetch as it happened, for the WARC's request and response records."""

    url: str  # where the response came from (after redirects)
    fetched: str  # ISO 8601, UTC
    status: int
    reason: str
    request_headers: tuple[tuple[str, str], ...]
    response_headers: tuple[tuple[str, str], ...]

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), indent=1).encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes) -> Exchange:
        raw = json.loads(data)
        return cls(
            raw["url"],
            raw["fetched"],
            raw["status"],
            raw["reason"],
            tuple(map(tuple, raw["request_headers"])),
            tuple(map(tuple, raw["response_headers"])),
        )


class HttpFetcher:
    def __init__(
        self,
        cache_dir: Path | None = DEFAULT_CACHE,
        timeout: float = 15.0,
        max_bytes: int = 20 * 1024 * 1024,
        allow_private: bool = False,
    ) -> None:
        self.cache_dir = cache_dir
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.allow_private = allow_private
        self._exchanges: dict[str, Exchange] = {}
        self._opener = urllib.request.build_opener(_CheckedRedirects(self))

    def fetch(self, url: str) -> bytes:
        cached = self._cache_path(url)
        if cached is not None and cached.is_file() and cached.with_suffix(".json").is_file():
            return cached.read_bytes()
        self.check(url)
        headers = {
            "User-Agent": f"archiver/{__version__}",
            "Accept": "image/*",
            "Accept-Encoding": "identity",
        }
        request = urllib.request.Request(url, headers=headers)
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                data: bytes = response.read(self.max_bytes + 1)
                exchange = Exchange(
                    url=response.geturl(),
                    fetched=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                    status=response.status,
                    reason=response.reason or "",
                    request_headers=tuple(request.header_items()),
                    response_headers=tuple(
                        (k, v) for k, v in response.headers.items() if k.lower() != "transfer-encoding"
                    ),
                )  # the body is stored de-chunked
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise ArchiverError(f"fetch failed ({getattr(exc, 'reason', exc)})") from exc
        if len(data) > self.max_bytes:
            raise ArchiverError(f"fetch refused: larger than {self.max_bytes // 2**20} MiB")
        if sniff_image(data) is None:
            raise ArchiverError("fetched bytes are not an image")
        self._exchanges[url] = exchange
        if cached is not None:
            cached.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(cached, data)
            write_atomic(cached.with_suffix(".json"), exchange.to_json())
        return data

    def exchange(self, url: str) -> Exchange | None:
        """How `url` was fetched, in this run or an earlier one (from the cache)."""
        if url in self._exchanges:
            return self._exchanges[url]
        cached = self._cache_path(url)
        if cached is not None and cached.with_suffix(".json").is_file():
            return Exchange.from_json(cached.with_suffix(".json").read_bytes())
        return None

    def check(self, url: str) -> None:
        if not is_web_url(url):
            raise ArchiverError("only http and https addresses are fetched")
        if self.allow_private:
            return
        hostname = urlsplit(url).hostname or ""
        try:
            addresses = {info[4][0] for info in socket.getaddrinfo(hostname, None)}
        except (socket.gaierror, UnicodeError) as exc:
            raise ArchiverError(f"fetch failed: cannot resolve {hostname}") from exc
        for address in addresses:
            ip = ipaddress.ip_address(str(address).split("%")[0])
            if not ip.is_global:
                raise ArchiverError(f"fetch refused: {hostname} is a private or local address")

    def _cache_path(self, url: str) -> Path | None:
        if self.cache_dir is None:
            return None
        key = hashlib.sha256(url.encode("utf-8")).hexdigest()
        return self.cache_dir / key[:2] / f"{key}.body"


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    def __init__(self, fetcher: HttpFetcher) -> None:
        self.fetcher = fetcher

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        self.fetcher.check(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)
