"""One article, many sources: the same address saved in several exports (a wallabag export and a
Pocket export of the same reading life, a bookmark file beside a saved page) is one article. Its
tags, read state and star are merged, and its provenance lists every input it came from."""

from __future__ import annotations

from dataclasses import replace

from ..html.highlights import place_highlights
from ..model import Article, ReadingStatus
from ..urls import normalize_href


def address_key(article: Article) -> str | None:
    """What makes two saved items the same article: the address, as a browser would send it,
    without its fragment. None for an article without a web address."""
    href = normalize_href(article.url) if article.url else None
    return href.split("#", 1)[0] if href and href.startswith(("http://", "https://")) else None


def mergeable(kept: Article, new: Article) -> bool:
    """Only what an export recorded about a page is merged: two pages saved whole are two
    copies, each its own evidence, and the duplicate check decides about them."""
    return kept.source.recorded_indexes[1] is not None or new.source.recorded_indexes[1] is not None


def merge(kept: Article, new: Article) -> Article:
    """One article from two saves of the same address. The one with the article's text is the
        article (the one kept first when both or neither have it); the other's source is listed in
        `also_from`, and the user's tags, state, star and highlights from both are kept (the other's
    highlights placed in the article's text where they are found there)."""
    primary, other = (new, kept) if kept.content == "link" and new.content == "full" else (kept, new)
    known = {(h.quote, h.note) for h in primary.highlights}
    added = tuple(replace(h, placed=False) for h in other.highlights if (h.quote, h.note) not in known)
    body, added = (
        place_highlights(primary.body, added, len(primary.highlights) + 1)
        if primary.content == "full"
        else (primary.body, added)
    )
    return replace(
        primary,
        body=body,
        highlights=primary.highlights + added,
        tags=tuple(dict.fromkeys(kept.tags + new.tags)),
        folder=primary.folder or other.folder,
        status=_status(kept.status, new.status),
        starred=True
        if True in (kept.starred, new.starred)
        else False
        if False in (kept.starred, new.starred)
        else None,
        also_from=(*primary.also_from, other.source, *other.also_from),
    )


def _status(a: ReadingStatus | None, b: ReadingStatus | None) -> ReadingStatus | None:
    """Read in one place is read: archived wins over unread, a stated state over none."""
    if "archived" in (a, b):
        return "archived"
    return "unread" if "unread" in (a, b) else None
