"""EPUB 3.3: one chapter per article, valid by EPUBCheck, the same bytes for the same inputs.

ebooklib assembles the package (OPF, navigation document, NCX). Chapter XHTML is built here
and handed over as plain items, because ebooklib re-parses its own HTML items with an HTML4
parser. ebooklib also stamps the current time into the ZIP entries, so the archive is
rewritten with fixed timestamps at the end.
"""

from __future__ import annotations

import hashlib
import io
import uuid
import zipfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import ebooklib
from ebooklib import epub
from lxml import etree

from ... import __version__
from ...atomic import write_atomic
from ...book.collection import build_time, collection_title, main_language
from ...book.grouping import Section, sections
from ...errors import ArchiverError
from ...images.collect import OutputImage, collect_images
from ...model import Article
from ...package.provenance import collection_json
from ..base import ExportOptions, Report
from ..styles import stylesheet
from ..xhtml import (
    OPS,
    XHTML,
    XML_LANG,
    article_section,
    count_line,
    cover_outlets,
    highlight_id,
    highlights_section,
    machine_time,
    saved_links_label,
    saved_links_section,
    span_line,
    split_links,
    toc_label,
)
from .cover import draw_cover, own_cover
from .fonts import embedded_fonts, font_faces
from .split import link_across, split_body

STYLE = "epub.css"


def write(articles: Sequence[Article], dest: Path, options: ExportOptions) -> Report:
    data, warnings = build(articles, options)
    if options.max_size and len(data) > options.max_size:
        what = (
            f"{len(articles)} articles"
            if len(articles) > 1
            else f"its one article, {articles[0].source.path},"
        )
        warnings.append(
            f"{dest.name} is {len(data):,} bytes, over --max-size {options.max_size:,}: {what} take more"
        )
    write_atomic(dest, data)
    return Report(tuple(warnings))


def build(articles: Sequence[Article], options: ExportOptions) -> tuple[bytes, list[str]]:
    if not articles:
        raise ArchiverError("no articles to put in the EPUB")
    when = build_time(articles)
    title = options.title or collection_title(articles)
    language = main_language(articles)
    images, warnings = collect_images(articles, options.image_max)

    book = epub.EpubBook()
    book.set_identifier(_identifier(articles))
    book.set_title(title)
    book.set_language(language)
    creator = options.author or _single_author(articles)
    if creator:  # a collection's authors are its articles'; the package does not invent one
        book.add_author(creator)
    book.add_metadata("DC", "date", when.strftime("%Y-%m-%dT%H:%M:%SZ"))
    if options.volume is not None:  # a series to Apple Books and Kobo: "volume 2 of 3"
        volume = options.volume
        book.add_metadata(None, "meta", volume.series, {"property": "belongs-to-collection", "id": "volumes"})
        book.add_metadata(None, "meta", "series", {"refines": "#volumes", "property": "collection-type"})
        book.add_metadata(
            None, "meta", str(volume.number), {"refines": "#volumes", "property": "group-position"}
        )
    book.add_metadata("DC", "description", _describe(articles))
    for outlet in dict.fromkeys(a.outlet for a in articles if a.outlet):
        book.add_metadata("DC", "publisher", outlet)
    for number, article in enumerate(articles, 1):
        source_id = f"source-{number:04d}"
        book.add_metadata(
            "DC", "source", article.url or f"urn:sha256:{article.source.sha256}", {"id": source_id}
        )
        for prop, value in (
            ("dcterms:title", article.title),
            ("dcterms:publisher", article.outlet),
            ("dcterms:issued", machine_time(article.published) if article.published else None),
            ("dcterms:creator", ", ".join(article.authors) or None),
        ):
            if value:
                book.add_metadata(None, "meta", value, {"refines": f"#{source_id}", "property": prop})

    if options.cover is not None:
        cover_data, cover_type = own_cover(options.cover)
    else:
        cover_data, cover_type = (
            draw_cover(title, _cover_lines(articles), cover_outlets(articles)),
            "image/png",
        )
    cover_name = "cover.png" if cover_type == "image/png" else "cover.jpg"
    cover_image = epub.EpubItem(
        uid="cover-image", file_name=cover_name, media_type=cover_type, content=cover_data
    )
    cover_image.properties = ["cover-image"]
    book.add_item(cover_image)
    book.add_metadata(None, "meta", "", {"name": "cover", "content": "cover-image"})  # EPUB 2 readers, Kindle
    cover = _page("cover", "Cover", language, _cover_body(title, cover_name))
    title_page = _page("title-page", title, language, _title_body(title, articles, when))
    book.add_item(cover)
    book.add_item(title_page)
    full, links = split_links(articles)
    chapters: list[epub.EpubItem] = []
    ordered: list[Article] = []  # the articles in the book's order (by section)
    places: dict[str, str] = {}  # a highlight's id -> the document that holds it
    number = 0
    for part, section in enumerate(sections(full, options.group_by, options.date_of), 1):
        entries = []
        if section.title is not None:
            uid = f"section-{part:03d}"
            divider = _page(uid, section.title, language, _section_body(section, uid))
            book.add_item(divider)
            chapters.append(divider)
        for article in section.articles:
            number += 1
            ordered.append(article)
            documents, found = _chapter(article, f"article-{number:04d}", language, images)
            places.update(found)
            for name, content in documents.items():
                chapter = epub.EpubItem(
                    uid=name.removesuffix(".xhtml"),
                    file_name=name,
                    media_type="application/xhtml+xml",
                    content=content,
                )
                book.add_item(chapter)
                chapters.append(chapter)
            entries.append(epub.Link(next(iter(documents)), toc_label(article), f"toc-{number:04d}"))
        if section.title is None:
            book.toc.extend(entries)
        else:
            book.toc.append((epub.Link(divider.file_name, section.title, f"toc-{uid}"), entries))
    if links:
        saved = _page("saved-links", "Saved links", language, saved_links_section(links, "saved-links"))
        book.add_item(saved)
        chapters.append(saved)
        book.toc.append(epub.Link(saved.file_name, saved_links_label(links), "toc-saved-links"))

    def place(n: int, highlight: int | None) -> str:
        if n >= len(ordered):
            return "saved-links.xhtml"
        anchor = f"article-{n + 1:04d}"
        if highlight is None:
            return f"{anchor}.xhtml"
        target = highlight_id(anchor, highlight)
        return f"{places.get(target, anchor + '.xhtml')}#{target}"

    listed = highlights_section([*ordered, *links], place, "highlights")
    if listed is not None:
        highlights = _page("highlights", "Highlights", language, listed)
        book.add_item(highlights)
        chapters.append(highlights)
        book.toc.append(epub.Link(highlights.file_name, "Highlights", "toc-highlights"))
    for image in images.values():
        book.add_item(
            epub.EpubItem(
                uid="img-" + image.href[7:].split(".")[0],
                file_name=image.href,
                media_type=image.media_type,
                content=image.data,
            )
        )
    book.add_item(
        epub.EpubItem(
            uid="provenance",
            file_name="provenance.json",
            media_type="application/json",
            content=collection_json(articles),
        )
    )
    css = stylesheet(STYLE, options.style)
    if options.style is None:  # the built-in stylesheet sets the text in the embedded face
        text = "".join(
            item.content.decode("utf-8") for item in book.get_items_of_type(ebooklib.ITEM_DOCUMENT)
        )
        fonts = embedded_fonts(text + title)
        for number, font in enumerate(fonts):
            book.add_item(
                epub.EpubItem(
                    uid=f"font-{number}", file_name=font.href, media_type="font/ttf", content=font.data
                )
            )
        css = font_faces(fonts) + css
    book.add_item(
        epub.EpubItem(uid="style", file_name="style/epub.css", media_type="text/css", content=css.encode())
    )
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = [cover, title_page, "nav", *chapters]

    raw = io.BytesIO()
    epub.write_epub(
        raw,
        book,
        {
            "mtime": when,
            "epub3_pages": False,
            "spine_direction": False,
            "package_direction": False,
            "play_order": {"enabled": True, "start_from": 1},
        },
    )
    return _fixed_zip(raw.getvalue(), when), warnings


def _identifier(articles: Sequence[Article]) -> str:
    """Derived from the inputs, so that the same articles are the same book."""
    digest = hashlib.sha256()
    for article in articles:
        digest.update(f"{article.source.sha256} {article.source.locator or ''}\n".encode())
    return f"urn:uuid:{uuid.UUID(bytes=digest.digest()[:16], version=5)}"


def _single_author(articles: Sequence[Article]) -> str | None:
    return ", ".join(articles[0].authors) or None if len(articles) == 1 else None


def _describe(articles: Sequence[Article]) -> str:
    return (
        f"{len(articles)} saved article{'s' * (len(articles) != 1)}, archived by archiver {__version__}; "
        "provenance.json in this book records where each came from."
    )


def _chapter(
    article: Article, anchor: str, book_language: str, images: dict[str, OutputImage]
) -> tuple[dict[str, bytes], dict[str, str]]:
    """The article's content documents by file name: one, or for a very long article several,
    the first with its header, the last with its highlights; and which document holds each
    highlight's id (the closing Highlights chapter links there)."""
    section = article_section(article, lambda name: images[name].href if name in images else None, anchor)
    language = section.get(XML_LANG) or book_language
    title = article.title or "Untitled"
    body = section.find(f"{{{XHTML}}}div[@class='article-body']")
    bodies = split_body(body) if body is not None else []
    sections = {f"{anchor}.xhtml": section}
    for number, more in enumerate(bodies[1:], 2):
        continued = etree.Element(
            section.tag, {**section.attrib, "class": "article continued", "id": f"{anchor}-{number}"}
        )
        continued.append(more)
        sections[f"{anchor}-{number}.xhtml"] = continued
    if len(sections) > 1:
        highlights = section.find(f"{{{XHTML}}}aside")
        if highlights is not None:
            list(sections.values())[-1].append(highlights)
        link_across(sections)
    places = {
        mark.get("id", ""): name
        for name, part in sections.items()
        for mark in part.iter(f"{{{XHTML}}}mark")
        if mark.get("id")
    }
    return {name: _document(title, language, part) for name, part in sections.items()}, places


def _page(uid: str, title: str, language: str, body: etree._Element) -> epub.EpubItem:
    return epub.EpubItem(
        uid=uid,
        file_name=f"{uid}.xhtml",
        media_type="application/xhtml+xml",
        content=_document(title, language, body),
    )


def _document(title: str, language: str, content: etree._Element) -> bytes:
    html = etree.Element(f"{{{XHTML}}}html", nsmap={None: XHTML, "epub": OPS})
    html.set(XML_LANG, language)
    html.set("lang", language)
    head = etree.SubElement(html, f"{{{XHTML}}}head")
    etree.SubElement(head, f"{{{XHTML}}}meta", charset="utf-8")
    etree.SubElement(head, f"{{{XHTML}}}title").text = title
    etree.SubElement(head, f"{{{XHTML}}}link", rel="stylesheet", type="text/css", href="style/epub.css")
    body = etree.SubElement(html, f"{{{XHTML}}}body")
    body.append(content)
    return b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n' + bytes(
        etree.tostring(html, encoding="utf-8")
    )


def _section_body(section: Section, uid: str) -> etree._Element:
    """A part's opening page: its name and how many articles it holds."""
    part = etree.Element(f"{{{XHTML}}}section", {"class": "part", "id": uid})
    part.set(f"{{{OPS}}}type", "part")
    etree.SubElement(part, f"{{{XHTML}}}h1").text = section.title
    etree.SubElement(part, f"{{{XHTML}}}p").text = count_line(section.articles)
    return part


def _cover_body(title: str, image: str) -> etree._Element:
    div = etree.Element(f"{{{XHTML}}}div", {"class": "cover"})
    etree.SubElement(div, f"{{{XHTML}}}img", src=image, alt=title, style="width: 100%")
    return div


def _cover_lines(articles: Sequence[Article]) -> list[str]:
    return [count_line(articles), *filter(None, [span_line(articles)])]


def _title_body(title: str, articles: Sequence[Article], when: datetime) -> etree._Element:
    section = etree.Element(f"{{{XHTML}}}section", {"class": "title-page"})
    section.set(f"{{{OPS}}}type", "titlepage")
    etree.SubElement(section, f"{{{XHTML}}}h1").text = title
    etree.SubElement(section, f"{{{XHTML}}}p").text = count_line(articles)
    span = span_line(articles)
    if span:
        etree.SubElement(section, f"{{{XHTML}}}p").text = span
    etree.SubElement(
        section, f"{{{XHTML}}}p"
    ).text = f"Archived with archiver {__version__}, {when.date().isoformat()}"
    return section


def _fixed_zip(data: bytes, when: datetime) -> bytes:
    """The same archive with every entry stamped `when`: reproducible bytes (mimetype first,
    stored, as OCF requires)."""
    stamp = when.timetuple()[:6]
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.external_attr = 0o644 << 16
            entry.create_system = 3
            stored = info.filename == "mimetype"
            entry.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(info.filename), compresslevel=None if stored else 9)
    return out.getvalue()
