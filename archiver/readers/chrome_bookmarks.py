"""Chrome's (and Chromium's, Edge's, Brave's) `Bookmarks` file: JSON with `roots` (bookmark bar,
other, synced), each a tree of `folder` and `url` nodes; `date_added` counts microseconds from
1601-01-01 (Windows' epoch), as a string."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from ..errors import ArchiverError
from .entries import Entry, EntryItems, canonical_json, export_entries, export_reader, json_records

NAME = "chrome-bookmarks-json"
WINDOWS_EPOCH = datetime(1601, 1, 1, tzinfo=UTC)


def sniff(head: bytes) -> int:
    return 3 if head.lstrip().startswith(b"{") and b'"roots"' in head and b'"bookmark_bar"' in head else 0


def _urls(path: Path) -> list[tuple[dict[str, Any], str]]:
    """Each bookmark with the path of the folders it is in."""
    document = json_records(path)
    roots = document.get("roots") if isinstance(document, dict) else None
    if not isinstance(roots, dict):
        raise ArchiverError("not a Chrome bookmark file: no roots")
    return [found for root in roots.values() if isinstance(root, dict) for found in _walk(root, ())]


def _walk(node: dict[str, Any], folders: tuple[str, ...]) -> Iterator[tuple[dict[str, Any], str]]:
    if node.get("type") == "url" and str(node.get("url", "")).startswith(("http://", "https://")):
        yield node, "/".join(folders)
    inside = (*folders, str(node["name"])) if node.get("type") == "folder" and node.get("name") else folders
    for child in node.get("children") or ():
        if isinstance(child, dict):
            yield from _walk(child, inside)


def _time(value: Any) -> datetime | None:
    text = str(value or "").strip()
    return WINDOWS_EPOCH + timedelta(microseconds=int(text)) if text.isdigit() and int(text) else None


def to_entry(found: tuple[dict[str, Any], str]) -> Entry:
    node, folder = found
    return Entry(url=str(node["url"]), title=node.get("name") or None, saved=_time(node.get("date_added")),
                 folder=folder or None)  # fmt: skip


def entries(path: Path, shown: str) -> EntryItems:
    return export_entries(path, shown, NAME, _urls(path), to_entry)


def entry_originals(path: Path) -> list[bytes]:
    return [canonical_json(node) for node, _ in _urls(path)]


READER = export_reader(
    NAME, extensions=(".json",), media_type="application/json", sniff=sniff, entries=entries,
    entry_originals=entry_originals,
)  # fmt: skip
