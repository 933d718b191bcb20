"""A link article made whole from its capture: the page's article read from the captured response
the same way as a saved page's, and what the user said about the link (tags, folder, state, star,
when saved, highlights) kept on it. A capture that gave no page leaves the link article as it
was, with the capture recorded: a dead link is data."""

from __future__ import annotations

from dataclasses import replace

from ..html.article import build_article
from ..html.charset import charset_warnings, codec_name, declared_html_charset, decode
from ..html.highlights import with_highlights
from ..images.resolve import Fetcher, ResolveContext
from ..model import Article, Capture, frozen_map

HTML_TYPES = ("text/html", "application/xhtml+xml")
KEPT_FROM_LINK = ("saved", "tags", "folder", "status", "starred")  # what the user said, not the page


def captured_article(link: Article, capture: Capture, body: bytes | None, fetcher: Fetcher | None) -> Article:
    final = capture.final
    if body is None or final is None:
        return replace(link, capture=capture)
    if final.media_type not in HTML_TYPES and not (final.media_type is None and _looks_like_html(body)):
        return replace(
            link,
            capture=capture,
            warnings=link.warnings
            + (f"captured as {final.media_type or 'unknown content'}: kept in the WARC, not read as a page",),
        )
    text, how = decode(body, _charset(final.content_type) or declared_html_charset(body))
    context = ResolveContext(base_url=final.url, fetcher=fetcher)
    page = build_article(text, link.source, context, warnings=charset_warnings(how))
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


def _charset(content_type: str | None) -> str | None:
    for parameter in (content_type or "").split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            return codec_name(value.strip().strip("\"'"))
    return None


def _looks_like_html(body: bytes) -> bool:
    from ..readers.base import looks_like_html

    return looks_like_html(body[:8192])
