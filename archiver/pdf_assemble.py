"""Binding separately rendered PDFs into one: front matter first (it carries the PDF/A catalog,
metadata and attachment), then each article's pages, page numbers drawn over every page, links
and bookmarks pointed at their pages in the whole book.

qpdf (through pikepdf) copies pages without re-rendering them, which is what makes a per-article
cache worth having: an unchanged article costs a page copy, not a layout.
"""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf

ARTICLE_LINK = "archiver-article:"  # the contents page links to "archiver-article:N" (N from 0)


def assemble(front: bytes, parts: Sequence[bytes], numbers: Sequence[bytes], dest: Path) -> None:
    """Write the book to `dest` (a temporary path the caller renames into place). Each part's
    bookmarks (its title, headings nested below) and internal links come along with its pages."""
    book = Pdf.open(BytesIO(front))
    sources = [book]  # qpdf reads copied streams at save time: every source stays open until then
    starts: list[int] = []
    for part in parts:
        source = Pdf.open(BytesIO(part))
        sources.append(source)
        starts.append(len(book.pages))
        book.add_pages_from(source)
    _point_contents_links(book, starts)
    numbered: list[pikepdf.Page] = []  # blank pages showing only page numbers, in runs
    for run in numbers:
        sources.append(Pdf.open(BytesIO(run)))
        numbered.extend(sources[-1].pages)
    for index, (page, number) in enumerate(zip(book.pages, numbered, strict=False)):
        _draw_over(page, number, Name(f"/ArchiverPageNumber{index + 1}"))
    streams = pikepdf.ObjectStreamMode.generate if book.pdf_version >= "1.5" else pikepdf.ObjectStreamMode.disable
    book.save(dest, deterministic_id=True, fix_metadata_version=False, object_stream_mode=streams)
    for source in sources:
        source.close()


def _draw_over(page: pikepdf.Page, other: pikepdf.Page, name: Name) -> None:
    """Page.add_overlay with a name of our choosing: it picks a random one, and the same book
    must give the same bytes."""
    form = other.as_form_xobject()
    page.add_resource(form, Name.XObject, name=name)
    page.contents_add(b"q\n", prepend=True)
    page.contents_add(b"Q\n" + page.calc_form_xobject_placement(form, name, pikepdf.Rectangle(page.trimbox)))


def _point_contents_links(book: Pdf, starts: Sequence[int]) -> None:
    for page in book.pages[:starts[0] if starts else len(book.pages)]:
        for annotation in page.obj.get("/Annots", Array()):
            uri = str(annotation.get("/A", Dictionary()).get("/URI", ""))
            if uri.startswith(ARTICLE_LINK) and uri[len(ARTICLE_LINK):].isdigit():
                number = int(uri[len(ARTICLE_LINK):])
                if number < len(starts):
                    del annotation["/A"]
                    annotation.Dest = Array([book.pages[starts[number]].obj, Name.Fit])
