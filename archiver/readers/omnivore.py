"""Omnivore's export metadata (`metadata_*.json`: `slug`, `state` Archived or Active, `labels`,
`savedAt`, `publishedAt`, `description`). Alone it is a list of links; the export's `content/`
folder, when there, is read by the Omnivore zip reader."""

from __future__ import annotations

from typing import Any

from ..dates import parse_date
from ..errors import ArchiverError
from ..model import ReadingStatus
from .entries import Entry, json_list_reader

NAME = "omnivore-json"
STATES: dict[str, ReadingStatus] = {"archived": "archived", "active": "unread"}


def sniff(head: bytes) -> int:
    return 3 if head.lstrip().startswith(b"[") and b'"savedAt"' in head and b'"slug"' in head else 0


def to_entry(record: dict[str, Any]) -> Entry:
    if not isinstance(record, dict) or not record.get("url"):
        raise ArchiverError("not an entry with an address")
    labels = record.get("labels") or ()
    return Entry(
        url=str(record["url"]),
        title=record.get("title") or None,
        saved=parse_date(str(record["savedAt"])) if record.get("savedAt") else None,
        tags=tuple(
            dict.fromkeys(str(label.get("name") if isinstance(label, dict) else label) for label in labels)
        ),
        status=STATES.get(str(record.get("state", "")).lower()),
        note=record.get("description") or None,
        published=parse_date(str(record["publishedAt"])) if record.get("publishedAt") else None,
        authors=(str(record["author"]),) if record.get("author") else (),
    )


READER = json_list_reader(NAME, sniff, to_entry, "an Omnivore export")
