"""The one way an HTML file on disk becomes an Article; the HTML readers differ only in
how they recognize their files and which kind they record."""

from __future__ import annotations

from pathlib import Path

from ..html.article import build_article, local_context
from ..html.charset import charset_warnings, declared_html_charset, decode
from .base import ReadOptions, ReadResult, file_source


def read_html_file(path: Path, shown: str, kind: str, options: ReadOptions) -> ReadResult:
    data = path.read_bytes()
    text, how = decode(data, declared_html_charset(data))
    source = file_source(path, shown, kind)
    context = local_context(path, options.fetcher, options.files_beside)
    yield build_article(text, source, context, warnings=charset_warnings(how))
