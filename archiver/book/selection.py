"""Which of a package's articles one book holds: "my unread articles tagged climate from 2024".
A selection is applied to everything the package holds, so one package yields several books,
and each output's manifest entry records the selection that made it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from ..model import Article, ReadingStatus

DateOf = Literal["published", "saved"]


@dataclass(frozen=True)
class Selection:
    """Every criterion given must hold; within one criterion, any of its values will do."""

    tags: tuple[str, ...] = ()  # any of these tags, compared without case
    folders: tuple[str, ...] = ()  # in one of these folders or below ("Reading" holds "Reading/Tech")
    status: ReadingStatus | None = None
    starred: bool | None = None
    since: date | None = None  # on or after, by `date_of`
    until: date | None = None  # on or before, by `date_of`
    date_of: DateOf = "published"  # which date since/until compare: publication, or when it was saved
    outlets: tuple[str, ...] = ()  # any of these outlets, compared without case

    @property
    def everything(self) -> bool:
        return self == Selection(date_of=self.date_of)

    def holds(self, article: Article) -> bool:
        if self.tags and not {t.casefold() for t in article.tags} & {t.casefold() for t in self.tags}:
            return False
        if self.folders and not any(_in_folder(article.folder, folder) for folder in self.folders):
            return False
        if self.status is not None and article.status != self.status:
            return False
        if self.starred is not None and bool(article.starred) != self.starred:
            return False
        if self.outlets and (article.outlet or "").casefold() not in {o.casefold() for o in self.outlets}:
            return False
        if self.since is not None or self.until is not None:
            when = _day(article.published if self.date_of == "published" else article.source.saved)
            if when is None or (self.since and when < self.since) or (self.until and when > self.until):
                return False
        return True

    def pick(self, articles: Sequence[Article]) -> list[Article]:
        return [a for a in articles if self.holds(a)]

    def describe(self) -> str:
        """ "tagged climate, unread, published 2024-01-01 to 2024-12-31": for titles and notes."""
        parts = [f"tagged {' or '.join(self.tags)}"] if self.tags else []
        parts += [f"in {' or '.join(self.folders)}"] if self.folders else []
        parts += [self.status] if self.status else []
        parts += ["starred" if self.starred else "not starred"] if self.starred is not None else []
        parts += [f"from {' or '.join(self.outlets)}"] if self.outlets else []
        if self.since or self.until:
            span = f"{self.since or '…'} to {self.until or '…'}"
            parts.append(f"{self.date_of} {span}")
        return ", ".join(parts)

    def record(self) -> dict[str, Any] | None:
        """The selection as the manifest records it; None for the whole package."""
        if self.everything:
            return None
        return {
            "keywords": list(self.tags),
            "archiver:folders": list(self.folders),
            "archiver:readingStatus": self.status,
            "archiver:starred": self.starred,
            "archiver:since": self.since.isoformat() if self.since else None,
            "archiver:until": self.until.isoformat() if self.until else None,
            "archiver:dateOf": self.date_of,
            "publisher": list(self.outlets),
            "description": self.describe(),
        }


def _in_folder(folder: str | None, wanted: str) -> bool:
    if folder is None:
        return False
    have, want = folder.strip("/").casefold(), wanted.strip("/").casefold()
    return have == want or have.startswith(want + "/")


def _day(value: datetime | date | None) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value
