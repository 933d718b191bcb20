"""Sections of a book: its articles under their first tag, folder, outlet, month or year, so that
a collection of thousands reads as a book with parts rather than one flat list. Pure: the EPUB
and PDF exporters lay out what this returns."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal, TypeAlias, get_args

from ..model import Article
from .selection import DateOf

GroupBy: TypeAlias = Literal["tag", "folder", "outlet", "month", "year", "none"]
GROUPINGS: tuple[GroupBy, ...] = get_args(GroupBy)
# Where an article goes that says nothing of what the grouping asks: last, under this heading.
WITHOUT = {
    "tag": "Untagged",
    "folder": "Not in a folder",
    "outlet": "Outlet unknown",
    "month": "Undated",
    "year": "Undated",
}


@dataclass(frozen=True)
class Section:
    """One part of the book; `title` None is the whole book, ungrouped."""

    title: str | None
    articles: tuple[Article, ...]


def sections(
    articles: Sequence[Article], by: GroupBy = "none", date_of: DateOf = "published"
) -> list[Section]:
    """The articles in sections, each article once (under its first tag when it has several),
    their order within a section as given. Names sort without case, dates in time order; the
    section of articles that lack the key comes last."""
    if by == "none" or not articles:
        return [Section(None, tuple(articles))]
    key = _KEYS[by]
    groups: dict[object, list[Article]] = {}
    titles: dict[object, str] = {}
    for article in articles:
        sort, title = key(article, date_of) or (None, WITHOUT[by])
        groups.setdefault(sort, []).append(article)
        titles.setdefault(sort, title)  # "Climate" and "climate" are one section, named as first seen
    order = sorted(groups, key=lambda sort: (sort is None, sort if sort is not None else ""))
    return [Section(titles[sort], tuple(groups[sort])) for sort in order]


def _day(article: Article, date_of: DateOf) -> date | None:
    value = article.published if date_of == "published" else article.source.saved
    return value.date() if isinstance(value, datetime) else value


def _by_month(article: Article, date_of: DateOf) -> tuple[object, str] | None:
    day = _day(article, date_of)
    return (day.strftime("%Y-%m"), f"{day.strftime('%B')} {day.year}") if day else None


def _by_year(article: Article, date_of: DateOf) -> tuple[object, str] | None:
    day = _day(article, date_of)
    return (day.year, str(day.year)) if day else None


def _named(name: str | None) -> tuple[object, str] | None:
    name = " ".join((name or "").split())
    return (name.casefold(), name) if name else None


_KEYS: dict[str, Callable[[Article, DateOf], tuple[object, str] | None]] = {
    "tag": lambda a, _: _named(a.tags[0] if a.tags else None),
    "folder": lambda a, _: _named(a.folder),
    "outlet": lambda a, _: _named(a.outlet),
    "month": _by_month,
    "year": _by_year,
}
