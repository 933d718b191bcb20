"""Saved web pages (.html, .htm, .xhtml), "Save Page As, complete" with its NAME_files/ folder."""

from __future__ import annotations

from pathlib import Path

from .base import Reader, ReadOptions, ReadResult, looks_like_html
from .html_file import read_html_file

NAME = "html"


def sniff(head: bytes) -> int:
    return 1 if looks_like_html(head) else 0


def read(path: Path, shown: str, options: ReadOptions) -> ReadResult:
    return read_html_file(path, shown, NAME, options)


READER = Reader(
    NAME,
    extensions=(".html", ".htm", ".xhtml", ".shtml", ".xht"),
    media_type="text/html",
    sniff=sniff,
    read=read,
    reads_beside=True,
)
