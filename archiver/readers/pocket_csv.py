"""Pocket's CSV export (`title,url,time_added,tags,status`, tags split by `|`, status `unread` or
`archive`), as the 2024-2025 `pocket.zip` holds it in `part_*.csv`: a list of links."""

from __future__ import annotations

from pathlib import Path

from ..model import ReadingStatus
from .base import Reader, ReadOptions, ReadResult
from .entries import Entry, csv_originals, csv_rows, export_articles, split_tags, unix_time

NAME = "pocket-csv"
HEADER = ("title", "url", "time_added", "tags", "status")
STATUSES: dict[str, ReadingStatus] = {"unread": "unread", "archive": "archived", "archived": "archived"}


def sniff(head: bytes) -> int:
    first = head.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].strip().lower()
    return 3 if tuple(first.decode("ascii", "replace").split(",")[:5]) == HEADER else 0


def row_entry(header: list[str], row: list[str]) -> Entry:
    """One row of a Pocket CSV, by its header's names."""
    cell = {name.lower(): row[n] if n < len(row) else "" for n, name in enumerate(header)}
    if not cell.get("url"):
        raise ValueError("a row without an address")
    return Entry(
        url=cell["url"],
        title=cell.get("title") or None,
        saved=unix_time(cell.get("time_added")),
        tags=split_tags(cell.get("tags"), "|"),
        status=STATUSES.get(cell.get("status", "").strip().lower()),
    )


def read(path: Path, shown: str, options: ReadOptions) -> ReadResult:
    header, rows = csv_rows(path)
    return export_articles(path, shown, NAME, rows, lambda row: row_entry(header, row), options)


READER = Reader(
    NAME,
    extensions=(".csv",),
    media_type="text/csv",
    sniff=sniff,
    read=read,
    entry_originals=csv_originals,
)
