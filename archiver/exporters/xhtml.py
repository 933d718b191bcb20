"""An article as an XHTML <section>: the header every output shows, then the body, with image
references pointed wherever the output keeps its images. Shared by the EPUB and PDF exporters."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Literal

from lxml import etree

from ..book.collection import clean_language, date_range
from ..model import Article, Highlight
from ..urls import link_href

XHTML = "http://www.w3.org/1999/xhtml"
OPS = "http://www.idpf.org/2007/ops"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ImageHref = Callable[[str], str | None]  # resource name -> where the output keeps it, or None
PlaceHref = Callable[
    [int, int | None], str
]  # (article's index in the book, highlight number or None) -> href
Notes = Literal["footnotes", "inline"]  # a highlight's note: an EPUB footnote, or floated by print CSS


def _el(parent: etree._Element | None, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = (
        etree.Element(f"{{{XHTML}}}{tag}", attrs)
        if parent is None
        else etree.SubElement(parent, f"{{{XHTML}}}{tag}", attrs)
    )
    if text:
        element.text = text
    return element


def machine_time(value: datetime | date) -> str:
    """HTML's valid date or datetime string (at most millisecond precision)."""
    if isinstance(value, datetime):
        return value.replace(microsecond=0).isoformat()
    return value.isoformat()


def human_time(value: datetime | date) -> str:
    day = value.date() if isinstance(value, datetime) else value
    text = f"{day.day} {day.strftime('%B')} {day.year}"
    if isinstance(value, datetime) and (value.hour or value.minute):
        text += f", {value.strftime('%H:%M')}" + (f" {value.strftime('%z')}" if value.tzinfo else "")
    return text


def toc_label(article: Article) -> str:
    """ "Title — Outlet, 2024-03-21": the contents say where and when, not only what."""
    published = article.published
    day = published.date() if isinstance(published, datetime) else published
    details = ", ".join(x for x in (article.outlet, day.isoformat() if day else None) if x)
    return f"{article.title or 'Untitled'} — {details}" if details else (article.title or "Untitled")


def article_section(
    article: Article, image_href: ImageHref, anchor: str, notes: Notes = "footnotes"
) -> etree._Element:
    """<section> with the article's header (title, authors, outlet, dates, source) and body; each
    highlight's first mark has the id highlight_id(anchor, n), and its note is a footnote."""
    section = _el(None, "section", **{"class": "article", "id": anchor})
    section.set(f"{{{OPS}}}type", "chapter")
    language = clean_language(article.language)
    if language:
        section.set(XML_LANG, language)
        section.set("lang", language)
    header = _el(section, "header", **{"class": "article-header"})
    _el(header, "h1", article.title or "Untitled", id=f"{anchor}-title")
    if article.authors:
        _el(header, "p", ", ".join(article.authors), **{"class": "byline"})
    if article.outlet or article.published:
        line = _el(header, "p", **{"class": "dateline"})
        if article.outlet:
            _el(line, "span", article.outlet, **{"class": "outlet"})
        if article.published:
            if article.outlet:
                line[-1].tail = " · "
            _el(line, "time", human_time(article.published), datetime=machine_time(article.published))
    if article.tags:  # all of them: a book grouped by tag shows the article under its first only
        _el(header, "p", f"Tags: {', '.join(article.tags)}", **{"class": "tags"})
    href = link_href(article.url)
    if article.url:
        source = _el(header, "p", **{"class": "source"})
        if href:
            _el(source, "a", article.url, href=href)
        else:
            source.text = article.url
    facts = _el(header, "p", **{"class": "provenance"})
    if article.source.saved:
        facts.text = "Saved "
        _el(facts, "time", human_time(article.source.saved), datetime=machine_time(article.source.saved))
        facts[-1].tail = f" · from {article.source.path} ({article.source.kind})"
    else:
        facts.text = f"From {article.source.path} ({article.source.kind})"
    body = _el(section, "div", **{"class": "article-body"})
    if article.body:
        fragment = etree.fromstring(f'<div xmlns="{XHTML}">{article.body}</div>')
        body.text = fragment.text
        body.extend(list(fragment))
    _point_images(body, image_href)
    _notes(body, article, anchor, notes)
    _highlights(section, [h for h in article.highlights if not h.placed], article.content == "full")
    return section


def highlight_id(anchor: str, number: int) -> str:
    return f"{anchor}-hl-{number}"


def _notes(body: etree._Element, article: Article, anchor: str, notes: Notes) -> None:
    """Each highlight's marks linkable (an id on its first) and its note hung after its last: an
    EPUB footnote (a noteref to an aside, shown as a popup by Apple Books and Kobo), or for print
    an inline element that the stylesheet floats to the foot of the page."""
    marks: dict[int, list[etree._Element]] = {}
    for mark in body.iter(f"{{{XHTML}}}mark"):
        number = mark.attrib.pop("data-highlight", "")
        if number.isdigit():
            marks.setdefault(int(number), []).append(mark)
    called = 0
    for number, found in marks.items():
        found[0].set("id", highlight_id(anchor, number))
        note = article.highlights[number - 1].note if number <= len(article.highlights) else None
        if not note:
            continue
        called += 1
        last = found[-1]
        if notes == "inline":
            call = etree.Element(f"{{{XHTML}}}span", {"class": "footnote"})
            call.text = note
        else:
            call = etree.Element(
                f"{{{XHTML}}}a",
                {"class": "noteref", "href": f"#{anchor}-note-{number}", "id": f"{anchor}-noteref-{number}"},
            )
            call.set(f"{{{OPS}}}type", "noteref")
            call.text = str(called)
            aside = _el(body, "aside", **{"class": "footnote", "id": f"{anchor}-note-{number}"})
            aside.set(f"{{{OPS}}}type", "footnote")
            line = _el(aside, "p")
            _el(line, "a", str(called), href=f"#{anchor}-noteref-{number}", **{"class": "note-back"})
            line[-1].tail = f" {note}"
        call.tail, last.tail = last.tail, None
        parent = last.getparent()
        assert parent is not None  # a mark is inside the body
        parent.insert(parent.index(last) + 1, call)


def _highlights(parent: etree._Element, highlights: Sequence[Highlight], has_text: bool) -> None:
    """Highlights that are not marked in the text (it did not have them, or there is no text),
    listed after it with the user's notes, so that none is lost."""
    if not highlights:
        return
    aside = _el(parent, "aside", **{"class": "highlights"})
    _el(aside, "h2", "Highlights")
    listing = _el(aside, "ul")
    for highlight in highlights:
        item = _el(listing, "li", **{"class": "highlight" if highlight.placed else "highlight not-in-text"})
        _el(item, "blockquote", highlight.quote)
        if highlight.note:
            _el(item, "p", highlight.note, **{"class": "highlight-note"})
        if not highlight.placed and has_text:
            _el(item, "p", "Not found in the text above.", **{"class": "highlight-note"})


def highlights_section(articles: Sequence[Article], place: PlaceHref, anchor: str) -> etree._Element | None:
    """The closing "Highlights" chapter: every highlight of the book, by article, with the user's
    note and a link back to its place in the text; None when the book has none."""
    kept = [(n, a) for n, a in enumerate(articles) if a.highlights]
    if not kept:
        return None
    section = _el(None, "section", **{"class": "highlights-chapter", "id": anchor})
    section.set(f"{{{OPS}}}type", "appendix")
    header = _el(section, "header", **{"class": "article-header"})
    _el(header, "h1", "Highlights", id=f"{anchor}-title")
    count = sum(len(a.highlights) for _, a in kept)
    _el(
        header,
        "p",
        f"{count} highlight{'s' * (count != 1)} in {len(kept)} article{'s' * (len(kept) != 1)}",
        **{"class": "provenance"},
    )
    for n, article in kept:
        _el(_el(section, "h2"), "a", toc_label(article), href=place(n, None))
        listing = _el(section, "ul", **{"class": "highlight-list"})
        for number, highlight in enumerate(article.highlights, 1):
            item = _el(listing, "li", **{"class": "highlight"})
            _el(item, "blockquote", highlight.quote)
            if highlight.note:
                _el(item, "p", highlight.note, **{"class": "highlight-note"})
            back = _el(item, "p", **{"class": "highlight-place"})
            if highlight.placed and f'data-highlight="{number}"' in article.body:
                _el(back, "a", "In the text", href=place(n, number))
            else:
                back.text = "Not found in the article's text" if article.content == "full" else "A saved link"
    return section


def split_links(articles: Sequence[Article]) -> tuple[list[Article], list[Article]]:
    """(articles whose text came with the input, link articles): a book shows the first as
    chapters and lists the others in one closing "Saved links" section."""
    return [a for a in articles if a.content != "link"], [a for a in articles if a.content == "link"]


def count_line(articles: Sequence[Article]) -> str:
    """ "6 articles", "3 articles, 7 saved links" or "7 saved links", for a title page or cover."""
    full, links = split_links(articles)
    return counted(len(full), len(links))


def counted(full: int, links: int) -> str:
    parts = [f"{full} article{'s' * (full != 1)}"] if full or not links else []
    if links:
        parts.append(f"{links} saved link{'s' * (links != 1)}")
    return ", ".join(parts)


def span_line(articles: Sequence[Article]) -> str | None:
    """ "21 March 2024 – 16 May 2024", the publication dates a title page or cover shows."""
    return spanned(date_range(articles))


def spanned(span: tuple[date, date] | None) -> str | None:
    if span is None:
        return None
    first, last = human_time(span[0]), human_time(span[1])
    return first if first == last else f"{first} – {last}"


def cover_outlets(articles: Sequence[Article], shown: int = 5) -> list[str]:
    """The outlets a cover names: the first few, then how many more."""
    outlets = list(dict.fromkeys(a.outlet for a in articles if a.outlet))
    return outlets[:shown] + ([f"and {len(outlets) - shown} more"] if len(outlets) > shown else [])


def saved_links_label(links: Sequence[Article]) -> str:
    return f"Saved links ({len(links)})"


def saved_links_section(links: Sequence[Article], anchor: str) -> etree._Element:
    """The link articles (only an address came with the input) as one closing list: each one's
    title linked to its address, when it was saved, the user's tags and state, then its body,
    which shows the address for print and the note the export kept."""
    section = _el(None, "section", **{"class": "saved-links", "id": anchor})
    section.set(f"{{{OPS}}}type", "appendix")
    header = _el(section, "header", **{"class": "article-header"})
    _el(header, "h1", "Saved links", id=f"{anchor}-title")
    _el(
        header,
        "p",
        f"{len(links)} address{'es' * (len(links) != 1)} saved without the article's text",
        **{"class": "provenance"},
    )
    listing = _el(section, "ul", **{"class": "links"})
    for article in links:
        item = _el(listing, "li", **{"class": "saved-link"})
        title = _el(item, "p", **{"class": "link-title"})
        href = link_href(article.url)
        if href:
            _el(title, "a", article.title or article.url, href=href)
        else:
            title.text = article.title or article.url or "Untitled"
        facts = [f"saved {human_time(article.source.saved)}"] if article.source.saved else []
        facts += [article.status] if article.status else []
        facts += ["starred"] if article.starred else []
        facts += [f"tags: {', '.join(article.tags)}"] if article.tags else []
        facts.append(f"from {article.source.path} ({article.source.kind})")
        _el(item, "p", " · ".join(facts), **{"class": "link-facts"})
        if article.body:
            body = _el(item, "div", **{"class": "link-body"})
            fragment = etree.fromstring(f'<div xmlns="{XHTML}">{article.body}</div>')
            body.text = fragment.text
            body.extend(list(fragment))
        _highlights(item, article.highlights, False)
    return section


def _point_images(body: etree._Element, image_href: ImageHref) -> None:
    for img in list(body.iter(f"{{{XHTML}}}img")):
        href = image_href(img.get("src", ""))
        if href is not None:
            img.set("src", href)
            continue
        holder = etree.Element(f"{{{XHTML}}}span", {"class": "missing-image"})
        holder.text = f"[Image: {img.get('alt')}]" if img.get("alt") else "[Image]"
        holder.tail = img.tail
        parent = img.getparent()
        if parent is not None:
            parent.replace(img, holder)


def plain_html(element: etree._Element) -> etree._Element:
    """The XHTML element without namespaces, for an HTML parser (WeasyPrint, a browser)."""
    for node in element.iter():
        if isinstance(node.tag, str) and node.tag.startswith(f"{{{XHTML}}}"):
            node.tag = node.tag[len(XHTML) + 2 :]
        for name in [n for n in node.attrib if n.startswith("{")]:
            value = node.attrib.pop(name)
            if name.endswith("}lang"):
                node.set("lang", value)
    etree.cleanup_namespaces(element)
    return element
