"""The one document model between readers and exporters.

Everything here is immutable data: readers build it, exporters only read it. No I/O.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Literal, TypeAlias

EXTENSIONS = {
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "image/svg+xml": ".svg",
    "image/avif": ".avif",
    "image/bmp": ".bmp",
    "image/tiff": ".tif",
    "image/x-icon": ".ico",
    "image/heic": ".heic",
    "image/jxl": ".jxl",
}


ReadingStatus: TypeAlias = Literal["unread", "archived"]
Content: TypeAlias = Literal["full", "link"]


class ResourceStatus(StrEnum):
    EMBEDDED = "embedded"  # bytes are in the model
    MISSING = "missing"  # could not be resolved; `reason` says why
    REMOTE = "remote"  # an http(s) address that was not fetched (fetching is off)


@dataclass(frozen=True)
class Resource:
    """An image the article refers to, resolved (bytes present) or not (a reason instead)."""

    ref: str  # the reference as written in the input: cid:..., data:..., a relative path, a URL
    status: ResourceStatus
    media_type: str | None = None  # sniffed from the bytes, never taken from a header or a name
    data: bytes | None = field(default=None, repr=False)
    sha256: str | None = None
    resolved_by: str | None = None  # "mime-part", "content-location", "data-uri", "file", "fetch"
    reason: str | None = None  # why it is missing or remote

    @property
    def name(self) -> str | None:
        """A content-addressed file name: identical images share one name, whatever their refs."""
        if self.sha256 is None or self.media_type is None:
            return None
        return self.sha256[:32] + EXTENSIONS.get(self.media_type, ".bin")


class FrozenMap(Mapping[str, str]):
    """A read-only mapping that pickles, as articles travel between processes (readers run in
    workers): MappingProxyType does not, and teaching pickle to would change it for the whole
    process that imports archiver."""

    __slots__ = ("_items",)

    def __init__(self, values: Mapping[str, str] | None = None) -> None:
        self._items = dict(values or {})

    def __getitem__(self, key: str) -> str:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"FrozenMap({self._items!r})"

    def __reduce__(self) -> tuple[type[FrozenMap], tuple[dict[str, str]]]:
        return FrozenMap, (self._items,)


def frozen_map(values: Mapping[str, str] | None = None) -> FrozenMap:
    return FrozenMap(values)


@dataclass(frozen=True)
class Source:
    """Where an article came from: enough to find the input again and to prove it is the same."""

    path: str  # the input file as the user gave it (or as found inside a directory they gave)
    kind: str  # the reader that read it
    sha256: str  # of the whole input file's bytes
    size: int
    message_id: str | None = None  # the message's Message-ID, angle brackets included
    # Which entry of an input of many, from 0: a mailbox's message, an export's or a bookmark
    # file's item. None: the input is one article.
    entry_index: int | None = None
    saved: datetime | date | None = None  # when the user saved or mailed it: never the publication date
    origins: Mapping[str, str] = field(default_factory=frozen_map)  # metadata field -> where it came from

    @property
    def recorded_indexes(self) -> tuple[int | None, int | None]:
        """(its index as a mailbox's message, as an export's entry): the outputs' provenance has
        always told the two apart ("mbox-index", "entry-index"), and goes on doing so."""
        return (self.entry_index, None) if self.kind == MAILBOX else (None, self.entry_index)

    @property
    def locator(self) -> str | None:
        """Which message or entry of the input, as the outputs' provenance records write it:
        "mbox-index:3 message-id:<...>", "entry-index:7"; None for a file that is one article."""
        message_index, entry_index = self.recorded_indexes
        return locator_text(message_index, self.message_id, entry_index)


MAILBOX = "mbox"  # the reader whose entries are a mailbox's messages (readers/mbox.py)


def locator_text(
    message_index: int | None, message_id: str | None, entry_index: int | None = None
) -> str | None:
    parts = [
        f"mbox-index:{message_index}" if message_index is not None else None,
        f"message-id:{message_id}" if message_id else None,
        f"entry-index:{entry_index}" if entry_index is not None else None,
    ]
    return " ".join(p for p in parts if p) or None


@dataclass(frozen=True)
class Highlight:
    """A passage the user highlighted, with their note; `placed` when it was found in the text
    and marked there (the body's <mark class="highlight">), else it is listed beside the text."""

    quote: str
    note: str | None = None
    created: datetime | date | None = None
    placed: bool = False


@dataclass(frozen=True)
class Hop:
    """One HTTP request and its response as captured live; the raw bytes both ways are in the
    package's object store, by sha256 (they become the WARC's request and response records)."""

    url: str
    at: datetime  # when the request was sent, UTC
    ip: str  # the address connected to
    status: int
    reason: str
    content_type: str | None  # the response's Content-Type header, as sent
    request: str  # sha256 of the request as sent
    response: str  # sha256 of the response as received: status line, headers, body as transferred
    payload: str  # sha256 of the body, de-chunked and decoded: the same payload twice is a revisit
    truncated: bool = False  # the body was longer than the size cap; the response holds its start

    @property
    def media_type(self) -> str | None:
        return (self.content_type or "").split(";")[0].strip().lower() or None


@dataclass(frozen=True)
class NotFetched:
    """A request a page made in the browser that archiver did not make, and why (refused, or
    failed): a page's scripts may ask for anything."""

    url: str
    why: str


@dataclass(frozen=True)
class Capture:
    """A link fetched live: every hop (redirects first), and whether it gave a page."""

    requested: str
    hops: tuple[Hop, ...] = ()
    problem: str | None = None  # why there is no page (404, timed out, DNS, refused); None: captured
    archive: str | None = None  # the web archive it was taken from when the live page was dead
    archived_at: datetime | None = None  # when that archive captured it (its Memento-Datetime)
    live_problem: str | None = None  # why the live page gave none, when it came from an archive
    # Rendered in a browser (--capture browser): which one, and what it did. None and empty: not.
    browser: str | None = None  # "Chromium 156.0.8078.129 (Playwright 1.65.3)"
    rendered: str | None = None  # sha256 of the DOM after the page's scripts ran (UTF-8 HTML)
    rendered_at: datetime | None = None  # when that DOM was taken
    screenshot: str | None = None  # sha256 of a PNG of the first screen
    requests: tuple[str, ...] = ()  # what the page asked for, each a capture of its own
    not_fetched: tuple[NotFetched, ...] = ()  # what it asked for and did not get from archiver
    warnings: tuple[str, ...] = ()  # what the browser met: no settling, an overlay, a crash

    @property
    def final(self) -> Hop | None:
        return self.hops[-1] if self.hops else None


@dataclass(frozen=True)
class Article:
    """One saved article, normalized: a clean XHTML body plus what is known about it."""

    title: str | None
    body: str  # an XHTML fragment; images refer to Resource.name
    source: Source
    url: str | None = None
    outlet: str | None = None
    authors: tuple[str, ...] = ()
    published: datetime | date | None = None
    language: str | None = None
    description: str | None = None
    resources: tuple[Resource, ...] = ()
    warnings: tuple[str, ...] = ()
    # What the user said about it, where the input records that (a read-it-later export, Gmail):
    tags: tuple[str, ...] = ()  # labels of the user's own, in the order the input gives them
    folder: str | None = None  # the bookmark or service folder it was kept in, as a path ("Reading/Tech")
    status: ReadingStatus | None = None  # None: the input does not say
    starred: bool | None = None  # None: the input does not say
    content: Content = "full"  # "link": only the address came with the input, not the text
    also_from: tuple[Source, ...] = ()  # other inputs that saved the same address, merged into this one
    highlights: tuple[Highlight, ...] = ()
    capture: Capture | None = None  # the page fetched live (--fetch), or why it could not be

    @property
    def embedded(self) -> tuple[Resource, ...]:
        return tuple(r for r in self.resources if r.status is ResourceStatus.EMBEDDED)


@dataclass(frozen=True)
class Failure:
    """An input, or one message of a mailbox, that could not be read: reported, then skipped."""

    path: str
    problem: str  # one line, for the user
    locator: str | None = None  # which message of a mailbox, when it is one
