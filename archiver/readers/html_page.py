"""Saved web pages (.html, .htm, .xhtml), "Save Page As, complete" with its NAME_files/ folder."""

from __future__ import annotations

from pathlib import Path

from .base import ReadOptions, ReadResult, looks_like_html
from .html_file import read_html_file

NAME = "html"
EXTENSIONS = (".html", ".htm", ".xhtml", ".shtml", ".xht")


def sniff(head: bytes) -> int:
    return 1 if looks_like_html(head) else 0


def read(path: Path, shown: str, options: ReadOptions) -> ReadResult:
    return read_html_file(path, shown, NAME, options)
