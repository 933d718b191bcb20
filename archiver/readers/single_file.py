"""Single-file HTML (SingleFile, monolith): every image inline as a data: URI."""

from __future__ import annotations

import re
from pathlib import Path

from .base import Reader, ReadOptions, ReadResult, looks_like_html
from .html_file import read_html_file

NAME = "single-file-html"
_MARKS = re.compile(rb"Page saved with SingleFile|<img[^>]+src=[\"']?data:image/", re.IGNORECASE)


def sniff(head: bytes) -> int:
    return 3 if looks_like_html(head) and _MARKS.search(head) else 0


def read(path: Path, shown: str, options: ReadOptions) -> ReadResult:
    return read_html_file(path, shown, NAME, options)


READER = Reader(
    NAME, extensions=(), media_type="text/html", sniff=sniff, read=read
)  # recognized by content only
