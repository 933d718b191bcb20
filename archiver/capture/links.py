"""Link articles captured: each one's page fetched (or taken from the captures kept) and read
into a full article, in order, several at once: a package's links (export), or a stream of
articles as they are read (inspect)."""

from __future__ import annotations

from collections.abc import Generator, Iterable, Sequence
from dataclasses import replace

from ..errors import unexpected
from ..model import Article, Capture, Failure
from ..urls import is_web_url
from .article import captured_article, is_page
from .browser import Browser
from .fetcher import CapturingFetcher
from .pool import in_order


def captured_stream(
    items: Iterable[Article | Failure], fetcher: CapturingFetcher, browser: Browser | None = None
) -> Generator[Article | Failure, None, None]:
    """The items, in order, each link article made from its capture (for `inspect --fetch`)."""

    def job(item: Article | Failure) -> Article | Failure:
        if isinstance(item, Failure) or item.content != "link" or not is_web_url(item.url):
            return item
        return _captured(item, fetcher, browser)[0]

    try:
        for _, article in in_order(items, job, _threads(fetcher, browser)):
            yield article
    except BaseException:
        fetcher.stop()
        raise


def _threads(fetcher: CapturingFetcher, browser: Browser | None) -> int:
    """Links at once: as many as connections, or with a browser, as many pages as it renders at
    once and one more getting ready (a page's own requests have the connections)."""
    return fetcher.settings.connections if browser is None else browser.settings.pages + 1


def _captured(link: Article, fetcher: CapturingFetcher, browser: Browser | None) -> tuple[Article, bool]:
    url = link.url or ""
    try:
        capture, body, fresh = fetcher.page(url)
        if browser is not None and capture.browser is None and capture.archive is None:
            if body is not None and is_page(capture, body):
                capture, body, fresh = *browser.render(capture, body), True
        return captured_article(link, capture, body, fetcher), fresh
    except Exception as exc:  # noqa: BLE001 - one link must not cost the others
        return replace(link, capture=Capture(url, problem=unexpected(exc))), True


def capture_links(
    links: Sequence[tuple[int, Article]], fetcher: CapturingFetcher, browser: Browser | None = None
) -> Generator[tuple[int, Article, bool], None, None]:
    """(index, the article made from its capture, fetched now rather than taken from the store)."""

    def job(item: tuple[int, Article]) -> tuple[Article, bool]:
        return _captured(item[1], fetcher, browser)

    try:
        for (index, _), (article, fresh) in in_order(links, job, _threads(fetcher, browser)):
            yield index, article, fresh
    except BaseException:  # Ctrl-C, or the caller stopped: the captures under way end at their next read
        fetcher.stop()
        raise
