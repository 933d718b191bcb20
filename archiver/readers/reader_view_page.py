"""Firefox Reader View pages, saved from the browser or from a mail client that prefixed classes."""

from __future__ import annotations

from pathlib import Path

from ..html.reader_view import MARKERS
from .base import Reader, ReadOptions, ReadResult, looks_like_html
from .html_file import read_html_file

NAME = "reader-view"


def sniff(head: bytes) -> int:
    if b"reader-content" not in head and b"reader-title" not in head:  # the regex is slow on 64 kB
        return 0
    return 3 if looks_like_html(head) and MARKERS.search(head) else 0


def read(path: Path, shown: str, options: ReadOptions) -> ReadResult:
    return read_html_file(path, shown, NAME, options)


READER = Reader(
    NAME, extensions=(), media_type="text/html", sniff=sniff, read=read, reads_beside=True
)  # recognized by content only: it shares .html with every page
