"""An article as an XHTML <section>: the header every output shows, then the body, with image
references pointed wherever the output keeps its images. Shared by the EPUB and PDF exporters."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from lxml import etree

from ..collection import clean_language
from ..model import Article
from ..urls import normalize_href

XHTML = "http://www.w3.org/1999/xhtml"
OPS = "http://www.idpf.org/2007/ops"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ImageHref = Callable[[str], str | None]  # resource name -> where the output keeps it, or None


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


def article_section(article: Article, image_href: ImageHref, anchor: str) -> etree._Element:
    """<section> with the article's header (title, authors, outlet, dates, source) and body."""
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
    href = normalize_href(article.url) if article.url else None
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
