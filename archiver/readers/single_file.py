"""Single-file HTML (SingleFile, monolith): every image inline as a data: URI."""

from __future__ import annotations

import re
from pathlib import Path

from .base import Reader, ReadOptions, ReadResult, looks_like_html
from .html_file import read_html_file

NAME = "single-file-html"
_DATA_IMAGE = re.compile(rb"data:image/", re.IGNORECASE)
_SRC_ENDS_TAG = re.compile(rb"\ssrc\s*=\s*[\"']?$", re.IGNORECASE)


def sniff(head: bytes) -> int:
    """SingleFile's own mark, or an <img> whose source is a data: URI."""
    if not looks_like_html(head):
        return 0
    if b"Page saved with SingleFile" in head:
        return 3
    for found in _DATA_IMAGE.finditer(head):  # from each data: URI back to its tag
        tag = head[head.rfind(b"<", 0, found.start()) : found.start()]
        if tag[:4].lower() == b"<img" and _SRC_ENDS_TAG.search(tag):
            return 3
    return 0


def read(path: Path, shown: str, options: ReadOptions) -> ReadResult:
    return read_html_file(path, shown, NAME, options)


READER = Reader(
    NAME, extensions=(), media_type="text/html", sniff=sniff, read=read, reads_beside=True
)  # recognized by content only
