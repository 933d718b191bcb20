"""What every reader shares: options, the input's identity, and cheap content sniffing."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..bounds import ReadBounds
from ..hashing import sha256_file
from ..images.resolve import Fetcher, LocalFiles
from ..images.sniff import looks_binary
from ..model import Article, Failure, Source

if TYPE_CHECKING:
    from .entries import EntryItems

HEAD_BYTES = 65536
_HTML_START = re.compile(
    rb"<(!doctype\s+html|html|head|body|meta|title|div|p|article|table|span|section|h1|"
    rb"br|center|font|img|a\s)[\s>/]",
    re.IGNORECASE,
)
_HEADER_LINE = re.compile(rb"^[A-Za-z0-9][A-Za-z0-9-]*:[ \t]?\S?", re.MULTILINE)
_MAIL_HEADERS = re.compile(
    rb"^(From|Date|Subject|Message-ID|Received|Return-Path|MIME-Version|To):", re.IGNORECASE | re.MULTILINE
)

ReadResult = Iterator[Article | Failure]


@dataclass(frozen=True)
class ReadOptions:
    fetcher: Fetcher | None = None
    # The input's folder, when it is not on this machine's disk (a cluster worker's, from --store).
    files_beside: LocalFiles | None = None
    # The bound on the processes that read (archiver/bounds.py); None: read here, unbounded.
    bounds: ReadBounds | None = ReadBounds()


@dataclass(frozen=True)
class Reader:
    """One input format, as the registry (readers/registry.py) lists it."""

    name: str  # recorded as the article's Source.kind
    extensions: tuple[str, ...]  # a claimed extension adds one point to sniff's score and breaks ties
    media_type: str  # of the input as saved: the WARC record that holds it says so
    sniff: Callable[
        [bytes], int
    ]  # confidence from the first bytes: 0 not mine, 1 could be, 2 likely, 3 certain
    read: Callable[[Path, str, ReadOptions], ReadResult]  # (path, path as shown, options) -> articles
    # An input of many entries (an export, a mailbox): each entry's own bytes, in order, as its
    # article's original (what the WARC keeps and the package's duplicates are found by); a
    # Sequence when it can give any one at once. None: the file is the original.
    entry_originals: Callable[[Path], Iterable[bytes]] | None = None
    # Its entries, read but not yet made into articles (path, path as shown): with them, worker
    # processes make the articles of one large input, `entries_per_task` entries each.
    entries: Callable[[Path, str], EntryItems] | None = None
    entries_per_task: int = 64
    # Files beside the input that it reads as its own part (pocket-exporter's article.html beside
    # its index.json): a folder's scan leaves them to it and does not read them again alone.
    companions: tuple[str, ...] = ()
    # It shows files from the input's folder (a page saved "complete" and its NAME_files/).
    reads_beside: bool = False


def file_source(path: Path, shown: str, kind: str) -> Source:
    """The input's identity, hashed as a stream so that a large mailbox is never held whole."""
    digest, size = sha256_file(path)
    return Source(path=shown, kind=kind, sha256=digest, size=size)


def looks_like_html(head: bytes) -> bool:
    if looks_binary(head):
        return False
    return bool(_HTML_START.search(head[:8192]))


def looks_like_mime(head: bytes) -> bool:
    """RFC 5322 headers from the first line, and a blank line ending them."""
    if looks_binary(head):
        return False
    stripped = head.lstrip(b"\r\n")
    if not _HEADER_LINE.match(stripped):
        return False
    return bool(
        _MAIL_HEADERS.search(stripped[:16384])
        or re.search(rb"^Content-Type:", stripped[:16384], re.IGNORECASE | re.MULTILINE)
    )


def looks_like_mail(head: bytes) -> bool:
    return looks_like_mime(head) and len({m.lower() for m in _MAIL_HEADERS.findall(head[:16384])}) >= 2
