"""Instapaper's HTML export: a heading per folder (Unread, Archive, Starred, or the user's own) and
a list of links under each."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..model import ReadingStatus
from .entries import Entry, EntryItems, export_entries, export_reader

NAME = "instapaper-html"
FOLDERS: dict[str, ReadingStatus] = {"unread": "unread", "archive": "archived"}


def sniff(head: bytes) -> int:
    return 3 if b"<title>instapaper: export</title>" in head[:8192].lower() else 0


def _links(path: Path) -> list[tuple[Any, str]]:
    """Each link with the folder heading it is under."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(path.read_bytes(), "html.parser")
    links = []
    for anchor in soup.find_all("a", href=True):
        heading = anchor.find_previous("h1")
        links.append((anchor, heading.get_text(strip=True) if heading else ""))
    return links


def to_entry(link: tuple[Any, str]) -> Entry:
    anchor, folder = link
    own = folder if folder.lower() not in ("", "unread", "archive", "starred") else None
    return Entry(
        url=str(anchor["href"]),
        title=anchor.get_text(strip=True) or None,
        tags=(own,) if own else (),
        folder=own,
        status=FOLDERS.get(folder.lower()),
        starred=True if folder.lower() == "starred" else None,
    )


def entries(path: Path, shown: str) -> EntryItems:
    return export_entries(path, shown, NAME, _links(path), to_entry)


def entry_originals(path: Path) -> list[bytes]:
    return [str(anchor).encode("utf-8") for anchor, _ in _links(path)]


READER = export_reader(
    NAME, extensions=(".html", ".htm"), media_type="text/html", sniff=sniff, entries=entries,
    entry_originals=entry_originals,
)  # fmt: skip
