"""What the user chose for an export, shared by every exporter."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..fetch import Exchange
from ..model import Source


@dataclass(frozen=True)
class ExportOptions:
    title: str | None = None  # the collection's title; derived from the articles when None
    author: str | None = None  # who compiled the collection
    style: Path | None = None  # a stylesheet that replaces the built-in one
    exchange: Callable[[str], Exchange | None] | None = None  # how a --fetch image was fetched
    page_size: str = "A4"  # PDF: A4, Letter or A5
    pdf_variant: str | None = "pdf/a-3b"  # PDF: a WeasyPrint variant, or None for plain PDF
    jobs: int | None = None  # worker processes for rendering; None: every core
    cache: Path | None = None  # where rendered articles are kept for the next build; None: nowhere
    original: Callable[[Source], bytes] | None = None  # an input's bytes as saved; None: read its file again
