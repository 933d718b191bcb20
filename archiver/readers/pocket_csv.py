"""Pocket's CSV export (`title,url,time_added,tags,status`, tags split by `|`, status `unread` or
`archive`), as the 2024-2025 `pocket.zip` holds it in `part_*.csv`: a list of links."""

from __future__ import annotations

from ..model import ReadingStatus
from .entries import Entry, csv_reader, split_tags, unix_time

NAME = "pocket-csv"
HEADER = ("title", "url", "time_added", "tags", "status")
STATUSES: dict[str, ReadingStatus] = {"unread": "unread", "archive": "archived", "archived": "archived"}


def sniff(head: bytes) -> int:
    first = head.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].strip().lower()
    return 3 if tuple(first.decode("ascii", "replace").split(",")[:5]) == HEADER else 0


def to_entry(cell: dict[str, str]) -> Entry:
    """One row of a Pocket CSV, by its header's names."""
    return Entry(
        url=cell["url"],
        title=cell.get("title") or None,
        saved=unix_time(cell.get("time_added")),
        tags=split_tags(cell.get("tags"), "|"),
        status=STATUSES.get(cell.get("status", "").strip().lower()),
    )


READER = csv_reader(NAME, sniff, to_entry)
