"""wallabag's JSON export, 2.x (`is_archived`, `is_starred`, `tags` as a list, `created_at`) and
1.x (numbered keys beside `is_read`, `is_fav`, `tags` as text): the article's text comes with it."""

from __future__ import annotations

import re
from typing import Any

from ..dates import parse_date
from ..errors import ArchiverError
from ..model import Highlight
from .entries import Entry, flag, json_list_reader, split_tags

NAME = "wallabag-json"
_MARKS = re.compile(rb'"(is_archived|is_read)"\s*:')
# What wallabag stores when it could not fetch a page: neither is the article's title or text.
NO_TITLE = "No title found"
NO_CONTENT = "Oh, what a shame, no content"


def sniff(head: bytes) -> int:
    return 3 if head.lstrip().startswith(b"[") and _MARKS.search(head) and b'"url"' in head else 0


def to_entry(record: dict[str, Any]) -> Entry:
    if not isinstance(record, dict) or not record.get("url"):
        raise ArchiverError("not an entry with an address")
    tags = record.get("tags") or ()
    content = record.get("content") or None
    archived = record.get("is_archived", record.get("is_read"))
    starred = record.get("is_starred", record.get("is_fav"))
    return Entry(
        url=str(record["url"]),
        title=None if record.get("title") in (None, NO_TITLE) else str(record["title"]),
        saved=parse_date(str(record["created_at"])) if record.get("created_at") else None,
        tags=split_tags(tags) if isinstance(tags, str) else tuple(dict.fromkeys(str(t) for t in tags if t)),
        status=None if archived is None else "archived" if flag(archived) else "unread",
        starred=None if starred is None else flag(starred),
        content=None if content is None or content.strip() == NO_CONTENT else str(content),
        published=parse_date(str(record["published_at"])) if record.get("published_at") else None,
        authors=tuple(str(a) for a in record.get("published_by") or () if a),
        language=record.get("language") or None,
        highlights=tuple(
            _highlight(a) for a in record.get("annotations") or () if isinstance(a, dict) and a.get("quote")
        ),
    )


def _highlight(annotation: dict[str, Any]) -> Highlight:
    """An annotator.js annotation: the quote, the user's note as `text`. Its `ranges` are XPaths
    into wallabag's own copy of the page; the quote is found in our text instead."""
    created = annotation.get("created_at")
    return Highlight(
        quote=str(annotation["quote"]),
        note=str(annotation["text"]) if annotation.get("text") else None,
        created=parse_date(str(created)) if created else None,
    )


READER = json_list_reader(NAME, sniff, to_entry, "a wallabag export")
