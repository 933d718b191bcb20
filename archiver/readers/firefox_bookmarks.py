"""Firefox's JSON bookmark backup: a tree of `text/x-moz-place-container` folders holding
`text/x-moz-place` bookmarks (`uri`, `title`, `dateAdded` in microseconds, `tags` as text)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import ArchiverError
from .entries import (
    Entry,
    EntryItems,
    canonical_json,
    export_entries,
    export_reader,
    json_records,
    split_tags,
    unix_time,
)

NAME = "firefox-bookmarks-json"


def sniff(head: bytes) -> int:
    return 3 if head.lstrip().startswith(b"{") and b'"text/x-moz-place' in head else 0


def _places(path: Path) -> list[tuple[dict[str, Any], str]]:
    """Each bookmark with the path of the folders it is in."""
    root = json_records(path)
    if not isinstance(root, dict):
        raise ArchiverError("not a Firefox bookmark backup: the JSON is not a folder")
    return list(_walk(root, ()))


def _walk(node: dict[str, Any], folders: tuple[str, ...]) -> Iterator[tuple[dict[str, Any], str]]:
    if node.get("type") == "text/x-moz-place" and str(node.get("uri", "")).startswith(
        ("http://", "https://")
    ):
        yield node, "/".join(folders)
    inside = (*folders, str(node["title"])) if node.get("title") and node.get("children") else folders
    for child in node.get("children") or ():
        if isinstance(child, dict):
            yield from _walk(child, inside)


def to_entry(place: tuple[dict[str, Any], str]) -> Entry:
    node, folder = place
    return Entry(
        url=str(node["uri"]),
        title=node.get("title") or None,
        saved=unix_time(node.get("dateAdded")),
        tags=split_tags(node.get("tags")),
        folder=folder or None,
    )


def entries(path: Path, shown: str) -> EntryItems:
    return export_entries(path, shown, NAME, _places(path), to_entry)


def entry_originals(path: Path) -> list[bytes]:
    return [canonical_json(node) for node, _ in _places(path)]


READER = export_reader(
    NAME,
    extensions=(".json",),
    media_type="application/json",
    sniff=sniff,
    entries=entries,
    entry_originals=entry_originals,
)
