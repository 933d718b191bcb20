"""The links of a package captured: each link article's page fetched (or taken from the captures
kept), read into a full article, in the package's order, several at once."""

from __future__ import annotations

from collections.abc import Generator, Sequence
from dataclasses import replace

from ..errors import unexpected
from ..model import Article, Capture
from .article import captured_article
from .fetcher import CapturingFetcher
from .pool import in_order


def capture_links(
    links: Sequence[tuple[int, Article]], fetcher: CapturingFetcher
) -> Generator[tuple[int, Article, bool], None, None]:
    """(index, the article made from its capture, fetched now rather than taken from the store)."""

    def job(item: tuple[int, Article]) -> tuple[Article, bool]:
        _, link = item
        url = link.url or ""
        try:
            capture, body, fresh = fetcher.page(url)
            return captured_article(link, capture, body, fetcher), fresh
        except Exception as exc:  # noqa: BLE001 - one link must not cost the others
            return replace(link, capture=Capture(url, problem=unexpected(exc))), True

    try:
        for (index, _), (article, fresh) in in_order(links, job, fetcher.settings.connections):
            yield index, article, fresh
    except BaseException:  # Ctrl-C, or the caller stopped: the captures under way end at their next read
        fetcher.stop()
        raise
