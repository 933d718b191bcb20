"""Decisions about a collection as a whole: order, title, dates, and file names."""

from __future__ import annotations

import os
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING, Literal, TypeAlias, get_args

if TYPE_CHECKING:
    from ..model import Article

Order: TypeAlias = Literal["input", "date", "title"]
ORDERS: tuple[Order, ...] = get_args(Order)
_EPOCH_FLOOR = datetime(1980, 1, 1, tzinfo=UTC)  # ZIP cannot store earlier times


def as_datetime(value: datetime | date) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.combine(value, time())
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def order_articles(articles: Sequence[Article], order: str) -> list[Article]:
    """Articles in the chosen order; ties and undated articles keep their input order."""
    if order == "date":
        dated = [a for a in articles if a.published is not None]
        undated = [a for a in articles if a.published is None]
        return sorted(dated, key=lambda a: as_datetime(a.published)) + undated  # type: ignore[arg-type]
    if order == "title":
        return sorted(articles, key=lambda a: (a.title or "").casefold())
    return list(articles)


def build_time(articles: Sequence[Article]) -> datetime:
    """The time an output says it was made: SOURCE_DATE_EPOCH when set, else the newest save
    (or publication) date of its articles, so the same inputs always give the same bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return max(datetime.fromtimestamp(int(epoch), UTC), _EPOCH_FLOOR)
    moments = [as_datetime(a.source.saved) for a in articles if a.source.saved is not None]
    moments = moments or [as_datetime(a.published) for a in articles if a.published is not None]
    return max([*moments, _EPOCH_FLOOR]).astimezone(UTC).replace(microsecond=0)


def date_range(articles: Sequence[Article]) -> tuple[date, date] | None:
    days = [as_datetime(a.published).date() for a in articles if a.published is not None]
    return (min(days), max(days)) if days else None


def main_language(articles: Sequence[Article]) -> str:
    languages = Counter(lang for a in articles if (lang := clean_language(a.language)))
    return languages.most_common(1)[0][0] if languages else "und"


_LANGUAGE = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$")


def clean_language(value: str | None) -> str | None:
    """A BCP 47 tag as EPUB and PDF want it, or None ("en_US" becomes "en-US")."""
    if not value:
        return None
    value = value.strip().replace("_", "-")
    return value if _LANGUAGE.match(value) else None


def slugify(text: str, limit: int = 80) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:limit].rstrip("-") or "untitled"


def article_stem(article: Article) -> str:
    """A file name from date, outlet and title, as a reader would sort and recognize it."""
    when = as_datetime(article.published).date().isoformat() if article.published else "undated"
    return slugify(" ".join(x for x in (when, article.outlet or "", article.title or "untitled") if x), 100)


def unique_stems(stems: Sequence[str]) -> list[str]:
    """Two articles with the same title must not overwrite each other's file."""
    used: set[str] = set()
    unique = []
    for stem in stems:
        candidate, number = stem, 1
        while candidate in used:
            number += 1
            candidate = f"{stem}-{number}"
        used.add(candidate)
        unique.append(candidate)
    return unique


def collection_title(articles: Sequence[Article]) -> str:
    return titled(len(articles), articles[0].title if len(articles) == 1 else None, date_range(articles))


def titled(count: int, only: str | None, span: tuple[date, date] | None) -> str:
    """A collection's title: its one article's (`only`), or how many and their dates."""
    if count == 1 and only:
        return only
    when = "" if span is None else f", {span[0].isoformat()} to {span[1].isoformat()}"
    return f"Saved articles ({count}{when})"
