"""A link article made whole from its capture: the page's article read from the captured response
the same way as a saved page's, and what the user said about the link (tags, folder, state, star,
when saved, highlights) kept on it. A capture that gave no page leaves the link article as it
was, with the capture recorded: a dead link is data."""

from __future__ import annotations

import re
from dataclasses import replace

from ..errors import ArchiverError
from ..html.article import build_article
from ..html.charset import charset_warnings, codec_name, declared_html_charset, decode
from ..html.highlights import with_highlights
from ..images.resolve import Fetcher, ResolveContext
from ..model import Article, Capture, frozen_map

HTML_TYPES = ("text/html", "application/xhtml+xml")
KEPT_FROM_LINK = ("saved", "tags", "folder", "status", "starred")  # what the user said, not the page


def is_page(capture: Capture, body: bytes | None) -> bool:
    """Whether the capture gave a web page (HTML), to be read as an article."""
    final = capture.final
    if body is None or final is None:
        return False
    return final.media_type in HTML_TYPES or (final.media_type is None and _looks_like_html(body))


def captured_article(link: Article, capture: Capture, body: bytes | None, fetcher: Fetcher | None) -> Article:
    final = capture.final
    if body is None or final is None:
        return replace(link, capture=capture, warnings=link.warnings + capture.warnings)
    if not is_page(capture, body):
        return replace(
            link,
            capture=capture,
            warnings=link.warnings
            + (f"captured as {final.media_type or 'unknown content'}: kept in the WARC, not read as a page",),
        )
    # A rendered DOM is UTF-8, whatever the page was sent in; its images are those the page loaded
    charset = "utf-8" if capture.rendered else _charset(final.content_type) or declared_html_charset(body)
    text, how = decode(body, charset)
    if capture.rendered and fetcher is not None:
        fetcher = _LoadedBy(fetcher, capture)
    context = ResolveContext(base_url=final.url, fetcher=fetcher)
    page = build_article(text, link.source, context, warnings=charset_warnings(how) + capture.warnings)
    if capture.rendered is None and (thin := _thin(page.body, body)):
        page = replace(page, warnings=page.warnings + (thin,))
    origins = dict(page.source.origins)
    origins.update(
        {name: link.source.origins[name] for name in KEPT_FROM_LINK if name in link.source.origins}
    )
    # the page's address as it says it; else where it was captured (never a web archive's address)
    address = capture.requested if capture.archive else final.url
    if page.url is None:
        origins["url"] = "capture:requested-address" if capture.archive else "capture:final-address"
    if page.title is None and link.title:
        origins["title"] = link.source.origins.get("title", "link:title")
    article = replace(
        page,
        source=replace(page.source, saved=link.source.saved, origins=frozen_map(origins)),
        url=page.url or address,
        title=page.title or link.title,
        tags=link.tags,
        folder=link.folder,
        status=link.status,
        starred=link.starred,
        also_from=link.also_from,
        content="full",
        capture=capture,
    )
    return with_highlights(article, link.highlights)


class _LoadedBy:
    """The images of a page rendered in the browser: only those the page itself loaded, as it
    loaded them. Another address an <img> names (a larger srcset entry) is not fetched after the
    page: the article shows what the page showed, and the WARC holds the page's own requests."""

    def __init__(self, fetcher: Fetcher, capture: Capture) -> None:
        self.fetcher = fetcher
        self.loaded = frozenset(capture.requests)

    def fetch(self, url: str) -> bytes:
        if url not in self.loaded:
            raise ArchiverError("not loaded by the page in the browser")
        return self.fetcher.fetch(url)


THIN_WORDS = 150  # fewer, from a page that runs scripts: its article may come from them


def _thin(article_body: str, page: bytes) -> str | None:
    """A warning when the article read from a page as sent is short and the page runs scripts:
    what a browser shows may be much more (the article fetched by a script, as many sites do)."""
    count = len(re.findall(r"\w+", re.sub(r"<[^>]+>", " ", article_body)))
    if count >= THIN_WORDS or b"<script" not in page[:2_000_000].lower():
        return None
    return (
        f"only {count} words were read from the page as sent, and it runs scripts: its article may be "
        "built in the browser (--capture browser reads the page as it shows)"
    )


def _charset(content_type: str | None) -> str | None:
    for parameter in (content_type or "").split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            return codec_name(value.strip().strip("\"'"))
    return None


def _looks_like_html(body: bytes) -> bool:
    from ..readers.base import looks_like_html

    return looks_like_html(body[:8192])
