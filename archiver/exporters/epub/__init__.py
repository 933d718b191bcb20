"""EPUB 3.3, valid by EPUBCheck: book.py makes it (ebooklib), loaded only when a book is written."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..base import Exporter, ExportOptions, Report

if TYPE_CHECKING:
    from ...model import Article


def write(articles: Sequence[Article], dest: Path, options: ExportOptions) -> Report:
    from .book import write as write_book

    return write_book(articles, dest, options)


def volumes(articles: Sequence[Article], options: ExportOptions) -> list[list[Article]]:
    from .volumes import volumes as share_out

    return share_out(articles, options)


def provenance(data: bytes) -> list[dict[str, Any]]:
    """The records of the provenance.json inside the book."""
    import io
    import json
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as book:
        name = next(n for n in book.namelist() if n.endswith("/provenance.json") or n == "provenance.json")
        records: list[dict[str, Any]] = json.loads(book.read(name))["articles"]
    return records


EXPORTER = Exporter(
    name="epub",
    suffix=".epub",
    media_type="application/epub+zip",
    software=("ebooklib", "lxml", "pillow"),
    write=write,
    conforms_to=lambda options: "https://www.w3.org/TR/epub-33/",
    provenance=provenance,
    volumes=volumes,
)
