"""From HTML text to an Article: the one path every reader's HTML goes through.

Order matters: metadata is read from the whole page before the page is reduced to its article,
and images are resolved while sanitizing, so only images the article shows are read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from lxml import etree
from lxml.html import HtmlElement

from ..dates import parse_date
from ..errors import ArchiverError
from ..images.in_html import lift_noscript_images
from ..images.resolve import Fetcher, FolderFiles, LocalFiles, ResolveContext, Resolver
from ..model import Article, Source, frozen_map
from ..urls import host, is_web_url
from . import reader_view
from .extract import main_content
from .metadata import Found, html_metadata, split_authors
from .sanitize import clean
from .tree import parse_document

_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)\s*(\S+?)\s*-->", re.IGNORECASE)
_SINGLEFILE = re.compile(
    r"Page saved with SingleFile\s*\n\s*url:\s*(\S+)\s*\n\s*saved date:\s*([^\n]+)", re.IGNORECASE
)
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class PageFacts:
    """What the saving tool wrote into the file about the page: its address and the save time."""

    url: str | None = None
    saved: str | None = None
    origin: str | None = None


def saved_page_facts(text: str) -> PageFacts:
    """Chrome's "saved from url" mark and SingleFile's header comment."""
    head = text[:20000]
    single = _SINGLEFILE.search(head)
    if single:
        return PageFacts(single.group(1), single.group(2).strip(), "singlefile-comment")
    saved_from = _SAVED_FROM.search(head)
    if saved_from:
        return PageFacts(saved_from.group(1), None, "saved-from-comment")
    return PageFacts()


_NBSP_IN_TAG = re.compile("<[a-zA-Z][a-zA-Z0-9-]*\xa0")
_TAG = re.compile(r"<[a-zA-Z/][^<>]*>")


def repair_markup(text: str) -> str:
    """Undo what copying a page through a mail client can do: every space turned into a
    no-break space (the seed article has them), inside tags, where they would make every tag
    text, and between words, where no line could ever break."""
    if _NBSP_IN_TAG.search(text):
        text = _TAG.sub(lambda m: m.group(0).replace("\xa0", " "), text)
        if text.count("\xa0") > text.count(" "):
            text = text.replace("\xa0", " ")
    return text


def parse_html(text: str) -> HtmlElement:
    if not text.strip():
        raise ArchiverError("empty document")
    text = repair_markup(text)
    try:
        tree = parse_document(text)
    except (etree.ParserError, ValueError) as exc:
        raise ArchiverError(f"not parseable as HTML ({exc})") from exc
    return tree


def build_article(
    text: str,
    source: Source,
    context: ResolveContext,
    hints: Found | None = None,
    extract: bool = True,
    warnings: tuple[str, ...] = (),
    url_hint: str | None = None,
) -> Article:
    """The Article for one HTML document.

    `url_hint` is the page's address as the saving tool recorded it (MHTML's Content-Location).
    `hints` is what the reader knows from outside the HTML (mail headers, a forwarded block):
    it loses to a Reader View header but wins over what the page's markup says, and a mail's
    dates are not taken as the publication date of a Reader View page inside it. `extract`
    reduces a full web page to its article.
    """
    found = Found()
    tree = parse_html(text)
    facts = saved_page_facts(text)
    view = reader_view.find(tree, text)
    if view is not None:
        _reader_view_metadata(view, found)
    for name, value in hints.values.items() if hints else ():
        if not (view is not None and name == "published"):
            found.offer(name, value, hints.origins[name])  # type: ignore[union-attr]
    html_metadata(tree, found, url_hint=facts.url or url_hint, guess=view is None and extract)
    saved = parse_date(facts.saved) if facts.saved else None

    # Relative references are relative to where the page was when it was saved: its <base>, the
    # address the saving tool recorded, and only then the address the page declares for itself.
    # Only the first <base href> counts (HTML 4.2.3); it is removed, so that no extractor applies
    # a later one planted in the body.
    bases = [b for b in tree.iter("base") if b.get("href") is not None]
    page_base = bases[0].get("href") if bases and is_web_url(bases[0].get("href")) else None
    for base in bases:
        base.drop_tree()
    declared = found.get("url") if is_web_url(found.get("url")) else None
    resolver = Resolver(replace(context, base_url=page_base or context.base_url or facts.url or declared))

    lift_noscript_images(tree)
    if view is not None:
        content = view.content
    elif extract:
        content = main_content(tree, tuple(found.get("authors") or ()))
    else:
        content = tree.find(".//body") if tree.find(".//body") is not None else tree
    _drop_leading_title(content, found.get("title"))
    cleaned = clean(content, resolver, resolver.context.base_url)
    if not cleaned.body:
        warnings += ("no article text found",)

    origins = dict(source.origins)
    origins.update(found.origins)
    if saved is not None and source.saved is None:
        origins["saved"] = facts.origin or "page"
    final_source = replace(source, saved=source.saved or saved, origins=frozen_map(origins))
    return Article(
        title=found.get("title"),
        body=cleaned.body,
        source=final_source,
        url=found.get("url"),
        outlet=found.get("outlet"),
        authors=tuple(found.get("authors") or ()),
        published=found.get("published"),
        language=found.get("language"),
        description=found.get("description"),
        resources=cleaned.resources,
        warnings=warnings + cleaned.warnings,
    )


def _reader_view_metadata(view: reader_view.ReaderView, found: Found) -> None:
    """Reader View's header: address, title, byline, and the date when the line under it is one.

    The byline is the author, and the outlet too when it names the site itself (its letters
    spell the host's name, as "Al Mayadeen English" does for english.almayadeen.net).
    """
    found.offer("title", view.title, "reader-view:title")
    if is_web_url(view.url):
        found.offer("url", view.url, "reader-view:domain-link")
    if view.credits:
        if _names_site(view.credits, host(view.url) or view.domain or ""):
            found.offer("outlet", view.credits, "reader-view:credits")
        found.offer("authors", tuple(split_authors(view.credits)), "reader-view:credits")
    found.offer("published", parse_date(view.meta_line), "reader-view:date-line")
    found.offer("language", view.language, "reader-view:lang")


def _names_site(credits: str, hostname: str) -> bool:
    letters = re.sub(r"[^a-z0-9]", "", credits.casefold())
    labels = [re.sub(r"[^a-z0-9]", "", label) for label in hostname.casefold().split(".")]
    return any(len(label) > 2 and label in letters for label in labels if label not in ("www", "com", "org"))


def _drop_leading_title(content: HtmlElement, title: str | None) -> None:
    """Exporters print the title in the article's header; the body need not repeat it."""
    if not title:
        return
    for heading in content.iter("h1", "h2"):
        if (
            _SPACE.sub(" ", heading.text_content()).strip().casefold()
            == _SPACE.sub(" ", title).strip().casefold()
        ):
            parent = heading.getparent()
            if parent is not None:
                heading.drop_tree()
        break


def local_context(path: Path, fetcher: Fetcher | None, beside: LocalFiles | None = None) -> ResolveContext:
    """Images of a saved page are read from its own folder (its NAME_files/ sibling included)
    and from nowhere above it; `beside`: that folder, when it is not on this machine's disk."""
    return ResolveContext(local_files=beside or FolderFiles(path.parent), fetcher=fetcher)
