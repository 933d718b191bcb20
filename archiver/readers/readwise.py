"""Readwise Reader's CSV export (`Title,URL,ID,Document tags,Saved date,Reading progress,Location,
Seen`): a list of links. `Location` archive is read; new, later and shortlist are not yet. The
tags cell is a list as Python writes one (`['ai', 'reading']`)."""

from __future__ import annotations

import ast

from ..dates import parse_date
from ..model import ReadingStatus
from .entries import Entry, csv_reader, split_tags

NAME = "readwise-csv"
LOCATIONS: dict[str, ReadingStatus] = {
    "archive": "archived",
    "new": "unread",
    "later": "unread",
    "shortlist": "unread",
}


def sniff(head: bytes) -> int:
    first = head.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].strip().lower()
    return 3 if first.startswith(b"title,url,id,document tags,saved date") else 0


def _tags(cell: str) -> tuple[str, ...]:
    cell = cell.strip()
    if cell.startswith("["):
        tags = ast.literal_eval(cell)  # a literal only: never code
        if not isinstance(tags, list):
            raise ValueError("Document tags is not a list")
        return tuple(dict.fromkeys(str(tag).strip() for tag in tags if str(tag).strip()))
    return split_tags(cell)


def to_entry(cell: dict[str, str]) -> Entry:
    return Entry(
        url=cell["url"],
        title=cell.get("title") or None,
        saved=parse_date(cell["saved date"]) if cell.get("saved date") else None,
        tags=_tags(cell.get("document tags", "")),
        status=LOCATIONS.get(cell.get("location", "").strip().lower()),
    )


READER = csv_reader(NAME, sniff, to_entry)
