"""Resolving an article's image references to bytes, from wherever the saved input keeps them.

A reference is resolved at most once per article and never from outside the input's own
folder; one that cannot be resolved becomes a Resource with a reason, never an exception.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

from ..errors import ArchiverError
from ..hashing import sha256_hex
from ..model import Resource, ResourceStatus
from ..urls import absolute, content_id, is_web_url, parse_data_uri, scheme
from .check import check_image
from .sniff import sniff_image

MAX_RESOURCE_BYTES = 50 * 1024 * 1024


class Fetcher(Protocol):
    def fetch(self, url: str) -> bytes: ...


class LocalFiles(Protocol):
    """The files beside a saved page, which its relative references name."""

    def read(self, relative: str) -> bytes | None:
        """The file's bytes; None: no such file; ArchiverError: one that must not or cannot be read."""
        ...


@dataclass(frozen=True)
class FolderFiles:
    """A page's folder on this machine's disk, and nothing above it."""

    root: Path

    def read(self, relative: str) -> bytes | None:
        try:
            candidate = (self.root / relative).resolve()
            if not candidate.is_relative_to(self.root.resolve()):
                raise ArchiverError(OUTSIDE)
            if not candidate.is_file():  # also a named pipe, which would block
                return None
            if candidate.stat().st_size > MAX_RESOURCE_BYTES:
                raise ArchiverError(TOO_LARGE)
            return candidate.read_bytes()
        except (
            OSError,
            ValueError,
            RuntimeError,
        ) as exc:  # a NUL in the name, a symlink loop, a name too long
            raise ArchiverError(unreadable(exc)) from exc


OUTSIDE = "path leads outside the input's folder; not read"
TOO_LARGE = f"file larger than {MAX_RESOURCE_BYTES // 2**20} MiB"


def not_an_image(what: str) -> str:
    return f"not an image ({what} that no image signature matches)"


def unreadable(exc: BaseException) -> str:
    return f"file cannot be read ({type(exc).__name__})"


@dataclass(frozen=True)
class ResolveContext:
    """What one input offers for resolving references; readers fill in what they have."""

    base_url: str | None = None
    parts_by_cid: Mapping[str, bytes] = field(default_factory=dict)  # RFC 2392 content-id -> bytes
    parts_by_location: Mapping[str, bytes] = field(default_factory=dict)  # absolute URL -> bytes (RFC 2557)
    local_files: LocalFiles | None = None  # where relative paths lead: the page's own folder
    fetcher: Fetcher | None = None


class Resolver:
    """Turns references into Resources for one article, caching by reference."""

    def __init__(self, context: ResolveContext) -> None:
        self.context = context
        self._seen: dict[str, Resource] = {}
        self._cid_lower = {k.lower(): v for k, v in context.parts_by_cid.items()}

    def resolve(self, ref: str) -> Resource:
        ref = ref.strip()
        if ref not in self._seen:
            try:
                self._seen[ref] = self._resolve(ref)
            except ArchiverError as exc:
                self._seen[ref] = Resource(ref, ResourceStatus.MISSING, reason=str(exc))
        return self._seen[ref]

    def _resolve(self, ref: str) -> Resource:
        kind = scheme(ref)
        if kind == "data":
            declared, data = parse_data_uri(ref)
            return _embedded(ref, data, "data-uri", declared)
        if kind == "cid":
            key = content_id(ref) or ""
            part = self.context.parts_by_cid.get(key)
            if part is None:
                part = self._cid_lower.get(key.lower())
            if part is None:
                raise ArchiverError(f"no MIME part with Content-ID <{key}> in this input")
            return _embedded(ref, part, "mime-part")
        if kind is None:
            local = self._local_file(ref)
            if local is not None:
                return local
        url = absolute(ref, self.context.base_url)
        if url is not None and url in self.context.parts_by_location:
            return _embedded(ref, self.context.parts_by_location[url], "content-location")
        if ref in self.context.parts_by_location:
            return _embedded(ref, self.context.parts_by_location[ref], "content-location")
        if kind == "file":
            raise ArchiverError("file: URLs are never read")
        if url is None or not is_web_url(url):
            raise ArchiverError("relative reference with no file here and no page address to resolve it")
        if self.context.fetcher is None:
            return Resource(url, ResourceStatus.REMOTE, reason="remote image not fetched (use --fetch)")
        return _embedded(url, self.context.fetcher.fetch(url), "fetch")

    def _local_file(self, ref: str) -> Resource | None:
        files = self.context.local_files
        if files is None:
            return None
        path_text = unquote(urlsplit(ref).path)
        if not path_text or path_text.startswith(("/", "\\")):
            return None  # site-root paths name the web server's files, not ours
        data = files.read(path_text)
        return None if data is None else _embedded(ref, data, "file")


def _embedded(ref: str, data: bytes, how: str, declared: str | None = None) -> Resource:
    media_type = sniff_image(data)
    if media_type is None:
        what = f"declared {declared}" if declared else f"{len(data)} bytes"
        raise ArchiverError(not_an_image(what))
    check_image(data, media_type)
    return Resource(ref, ResourceStatus.EMBEDDED, media_type, data, sha256_hex(data), how)
