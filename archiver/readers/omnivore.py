"""Omnivore's export metadata (`metadata_*.json`: `slug`, `state` Archived or Active, `labels`,
`savedAt`, `publishedAt`, `description`). Alone it is a list of links; the export's `content/`
folder, when there, is read by the Omnivore zip reader."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..dates import parse_date
from ..errors import ArchiverError
from ..model import ReadingStatus
from .base import Reader, ReadOptions, ReadResult
from .entries import Entry, canonical_json, export_articles, json_records

NAME = "omnivore-json"
STATES: dict[str, ReadingStatus] = {"archived": "archived", "active": "unread"}


def sniff(head: bytes) -> int:
    return 3 if head.lstrip().startswith(b"[") and b'"savedAt"' in head and b'"slug"' in head else 0


def _records(path: Path) -> list[Any]:
    records = json_records(path)
    if not isinstance(records, list):
        raise ArchiverError("not an Omnivore export: the JSON is not a list of entries")
    return records


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


def read(path: Path, shown: str, options: ReadOptions) -> ReadResult:
    return export_articles(path, shown, NAME, _records(path), to_entry, options)


def entry_originals(path: Path) -> list[bytes]:
    return [canonical_json(record) for record in _records(path)]


READER = Reader(
    NAME,
    extensions=(".json",),
    media_type="application/json",
    sniff=sniff,
    read=read,
    entry_originals=entry_originals,
)
