"""PDF for print and for the shelf: PDF/A-3b by default, with bookmarks, a table of contents
with page numbers, and each article's provenance attached as provenance.json.

WeasyPrint renders one HTML document built here. It is given a URL fetcher that serves the
collection's own images and nothing else: no network, and no local file, however the saved
page's markup asks for one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from lxml import etree

from .. import __version__
from ..atomic import atomic_path
from ..collection import build_time, collection_title, date_range, main_language
from ..errors import ArchiverError
from ..image_set import OutputImage, collect_images
from ..model import Article
from ..provenance import collection_json
from ..render import XHTML, article_section, human_time
from ..styles_path import builtin_style
from .epub import toc_label
from .options import ExportOptions

NAME = "pdf"
SUFFIX = ".pdf"
MEDIA_TYPE = "application/pdf"
PAGE_SIZES = ("A4", "Letter", "A5")
BASE = "https://archiver.invalid/"  # the only address the renderer may ask for; it serves our images


def write(articles: Sequence[Article], dest: Path, options: ExportOptions) -> list[str]:
    from weasyprint import CSS, HTML, Attachment

    if not articles:
        raise ArchiverError("no articles to put in the PDF")
    if options.page_size not in PAGE_SIZES:
        raise ArchiverError(f"unknown page size {options.page_size!r} (choose from {', '.join(PAGE_SIZES)})")
    when = build_time(articles)
    images, warnings = collect_images(articles)
    fetcher = _fetcher({image.href: image for image in images.values()}, warnings)
    stylesheets = [CSS(string=_stylesheet(options), url_fetcher=fetcher, base_url=BASE),
                   CSS(string=f"@page {{ size: {options.page_size}; }}")]
    document = HTML(string=document_html(articles, options, images, when), base_url=BASE, url_fetcher=fetcher)
    provenance = Attachment(string=collection_json(articles), name="provenance.json", relationship="Source",
                            description="Where each article came from (archiver provenance)",
                            created=when, modified=when, url_fetcher=fetcher, base_url=BASE)
    identifier = hashlib.sha256("".join(a.source.sha256 for a in articles).encode()).hexdigest()[:32].encode()
    with atomic_path(dest) as temporary:
        document.write_pdf(temporary, stylesheets=stylesheets, attachments=[provenance],
                           pdf_variant=options.pdf_variant, pdf_identifier=identifier, uncompressed_pdf=False)
    return warnings


def document_html(articles: Sequence[Article], options: ExportOptions, images: dict[str, OutputImage],
                  when: datetime) -> str:
    """One HTML document: title page, contents with page numbers, then one section per article."""
    title = options.title or collection_title(articles)
    html = etree.Element("html", lang=main_language(articles))
    head = etree.SubElement(html, "head")
    etree.SubElement(head, "meta", charset="utf-8")
    etree.SubElement(head, "title").text = title
    authors = options.author or ", ".join(dict.fromkeys(a for article in articles for a in article.authors))
    for name, content in (("author", authors), ("generator", f"archiver {__version__}"),
                          ("description", f"{len(articles)} saved articles"),
                          ("keywords", ", ".join(dict.fromkeys(a.outlet for a in articles if a.outlet))),
                          ("dcterms.created", when.isoformat()), ("dcterms.modified", when.isoformat())):
        if content:
            etree.SubElement(head, "meta", name=name, content=content)
    body = etree.SubElement(html, "body")
    front = etree.SubElement(body, "section", {"class": "title-page"})
    etree.SubElement(front, "h1").text = title
    etree.SubElement(front, "p").text = f"{len(articles)} article{'s' * (len(articles) != 1)}"
    span = date_range(articles)
    if span:
        first, last = human_time(span[0]), human_time(span[1])
        etree.SubElement(front, "p").text = first if first == last else f"{first} – {last}"
    etree.SubElement(front, "p").text = f"Archived with archiver {__version__}, {when.date().isoformat()}"
    if len(articles) > 1:
        nav = etree.SubElement(body, "nav", {"class": "toc"})
        etree.SubElement(nav, "h2").text = "Contents"
        listing = etree.SubElement(nav, "ol")
        for number, article in enumerate(articles, 1):
            link = etree.SubElement(etree.SubElement(listing, "li"), "a", href=f"#article-{number:04d}")
            link.text = toc_label(article)
    for number, article in enumerate(articles, 1):
        section = article_section(article, lambda name: images[name].href if name in images else None,
                                  f"article-{number:04d}")
        body.append(_plain_html(section))
    return "<!DOCTYPE html>\n" + str(etree.tostring(html, encoding="unicode", method="html"))


def _plain_html(element: etree._Element) -> etree._Element:
    """The XHTML section without namespaces, for an HTML parser."""
    for node in element.iter():
        if isinstance(node.tag, str) and node.tag.startswith(f"{{{XHTML}}}"):
            node.tag = node.tag[len(XHTML) + 2:]
        for name in [n for n in node.attrib if n.startswith("{")]:
            value = node.attrib.pop(name)
            if name.endswith("}lang"):
                node.set("lang", value)
    etree.cleanup_namespaces(element)
    return element


def _stylesheet(options: ExportOptions) -> str:
    if options.style is None:
        return builtin_style("print.css").decode("utf-8")
    try:
        return options.style.read_text(encoding="utf-8")
    except (OSError, UnicodeError) as exc:
        raise ArchiverError(f"cannot read the stylesheet {options.style}: {exc}") from exc


def _fetcher(images: dict[str, OutputImage], warnings: list[str]) -> Any:
    """WeasyPrint's fetcher, narrowed to the collection's images: anything else a page asks for
    (a stylesheet on the web, file:///etc/passwd in a rel=attachment link) is refused."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class CollectionOnly(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            path = url.removeprefix(BASE)
            image = images.get(path) if url.startswith(BASE) else None
            if image is None:
                warnings.append(f"PDF: refused to load {url[:80]}")
                raise ValueError(f"not part of the collection: {url[:80]}")
            return URLFetcherResponse(url, image.data, {"Content-Type": image.media_type})

    return CollectionOnly()
