"""Pinboard's JSON export: a list of `{href, description, extended, time, toread, tags}`, where
`description` is the title, `extended` the user's note, and tags are separated by spaces."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..dates import parse_date
from ..errors import ArchiverError
from .base import Reader, ReadOptions, ReadResult
from .entries import Entry, canonical_json, export_articles, json_records, split_tags

NAME = "pinboard-json"


def sniff(head: bytes) -> int:
    return 3 if head.lstrip().startswith(b"[") and b'"href"' in head and b'"toread"' in head else 0


def _records(path: Path) -> list[Any]:
    records = json_records(path)
    if not isinstance(records, list):
        raise ArchiverError("not a Pinboard export: the JSON is not a list of bookmarks")
    return records


def to_entry(record: dict[str, Any]) -> Entry:
    if not isinstance(record, dict) or not record.get("href"):
        raise ArchiverError("not a bookmark with an address")
    return Entry(
        url=str(record["href"]),
        title=record.get("description") or None,
        saved=parse_date(str(record["time"])) if record.get("time") else None,
        tags=split_tags(record.get("tags"), " "),
        status="unread" if record.get("toread") == "yes" else None,
        note=record.get("extended") or None,
    )


def read(path: Path, shown: str, options: ReadOptions) -> ReadResult:
    return export_articles(path, shown, NAME, _records(path), to_entry, options)


def entry_originals(path: Path) -> list[bytes]:
    return [canonical_json(record) for record in _records(path)]


READER = Reader(
    NAME, extensions=(".json",), media_type="application/json", sniff=sniff, read=read,
    entry_originals=entry_originals,
)  # fmt: skip
