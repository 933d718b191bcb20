"""Fetching remote images, only when the user asks for it (--fetch).

http(s) only, a timeout, a size cap, the bytes must be an image, redirects re-checked, and no
loopback, private or link-local addresses unless allowed: a saved page must not be able to make
archiver probe the user's own network. Results are cached on disk by URL.
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
import socket
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from . import __version__
from .errors import ArchiverError
from .sniff import sniff_image
from .urls import is_web_url

DEFAULT_CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "archiver" / "fetch"


class HttpFetcher:
    def __init__(self, cache_dir: Path | None = DEFAULT_CACHE, timeout: float = 15.0,
                 max_bytes: int = 20 * 1024 * 1024, allow_private: bool = False) -> None:
        self.cache_dir = cache_dir
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.allow_private = allow_private
        self._opener = urllib.request.build_opener(_CheckedRedirects(self))

    def fetch(self, url: str) -> bytes:
        cached = self._cache_path(url)
        if cached is not None and cached.is_file():
            return cached.read_bytes()
        self.check(url)
        request = urllib.request.Request(url, headers={"User-Agent": f"archiver/{__version__}"})
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                data: bytes = response.read(self.max_bytes + 1)
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise ArchiverError(f"fetch failed ({getattr(exc, 'reason', exc)})") from exc
        if len(data) > self.max_bytes:
            raise ArchiverError(f"fetch refused: larger than {self.max_bytes // 2**20} MiB")
        if sniff_image(data) is None:
            raise ArchiverError("fetched bytes are not an image")
        if cached is not None:
            cached.parent.mkdir(parents=True, exist_ok=True)
            temporary = cached.with_suffix(".part")
            temporary.write_bytes(data)
            temporary.replace(cached)
        return data

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
        return self.cache_dir / key[:2] / key


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    def __init__(self, fetcher: HttpFetcher) -> None:
        self.fetcher = fetcher

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        self.fetcher.check(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)
