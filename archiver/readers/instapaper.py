"""Instapaper's CSV export (`URL,Title,Selection,Folder`, newer ones with `Timestamp` and `Tags`, a
JSON array in the cell). `Folder` is Unread, Archive or Starred, or a folder of the user's own,
which is kept as a tag (as wallabag's importer does)."""

from __future__ import annotations

import io

from ..model import ReadingStatus
from . import bounded_json
from .entries import Entry, csv_reader, unix_time

NAME = "instapaper-csv"
FOLDERS: dict[str, ReadingStatus] = {"unread": "unread", "archive": "archived"}


def sniff(head: bytes) -> int:
    first = head.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].strip().lower()
    return 3 if first.startswith(b"url,title,selection,folder") else 0


def _tags(cell: str) -> tuple[str, ...]:
    if not cell.strip():
        return ()
    tags = bounded_json.document(io.BytesIO(cell.encode("utf-8")), bounded_json.ENTRY)
    if not isinstance(tags, list):
        raise ValueError("Tags is not a list")
    return tuple(dict.fromkeys(str(tag) for tag in tags if str(tag).strip()))


def to_entry(cell: dict[str, str]) -> Entry:
    folder = cell.get("folder", "").strip()
    own = () if folder.lower() in ("", "unread", "archive", "starred") else (folder,)
    return Entry(
        url=cell["url"],
        title=cell.get("title") or None,
        saved=unix_time(cell.get("timestamp")),
        tags=tuple(dict.fromkeys(own + _tags(cell.get("tags", "")))),
        folder=own[0] if own else None,
        status=FOLDERS.get(folder.lower()),
        starred=True if folder.lower() == "starred" else None,
        note=cell.get("selection") or None,
    )


READER = csv_reader(NAME, sniff, to_entry)
