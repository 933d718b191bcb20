"""Pinboard's JSON export: a list of `{href, description, extended, time, toread, tags}`, where
`description` is the title, `extended` the user's note, and tags are separated by spaces."""

from __future__ import annotations

from typing import Any

from ..dates import parse_date
from ..errors import ArchiverError
from .entries import Entry, json_list_reader, split_tags

NAME = "pinboard-json"


def sniff(head: bytes) -> int:
    return 3 if head.lstrip().startswith(b"[") and b'"href"' in head and b'"toread"' in head else 0


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


READER = json_list_reader(NAME, sniff, to_entry, "a Pinboard export")
