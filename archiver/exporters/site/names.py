"""The names of the site's pages: what the site writes and what a search names as a hit's page,
apart from the writing, so that `archiver search` does not load it."""

from __future__ import annotations

from ...book.collection import slugify


def page_name(number: int, title: str | None) -> str:
    """An article's page: its number (in a package's site, its place in the package, which never
    changes) and its title."""
    return f"{number:04d}-{slugify(title or 'untitled', 60)}.html"


def index_name(page: int) -> str:
    return "index.html" if page == 1 else f"index-{page}.html"
