"""Pocket's older HTML export (`ril_export.html`): an `<h1>Unread</h1>` and an `<h1>Read Archive</h1>`
section, each a list of links with `time_added` and `tags`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..model import ReadingStatus
from .entries import Entry, EntryItems, export_entries, export_reader, split_tags, unix_time

NAME = "pocket-html"
SECTIONS: dict[str, ReadingStatus] = {"unread": "unread", "read archive": "archived"}


def sniff(head: bytes) -> int:
    lowered = head[:16384].lower()
    marked = b"<title>pocket export</title>" in lowered or b"<h1>read archive</h1>" in lowered
    return 3 if marked and b"time_added=" in lowered else 0


def _links(path: Path) -> list[tuple[Any, ReadingStatus | None]]:
    """Each link with the status of the section it is under."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(path.read_bytes(), "html.parser")
    links = []
    for anchor in soup.find_all("a", href=True):
        heading = anchor.find_previous("h1")
        links.append((anchor, SECTIONS.get(heading.get_text(strip=True).lower()) if heading else None))
    return links


def to_entry(link: tuple[Any, ReadingStatus | None]) -> Entry:
    anchor, status = link
    return Entry(
        url=str(anchor["href"]),
        title=anchor.get_text(strip=True) or None,
        saved=unix_time(anchor.get("time_added")),
        tags=split_tags(anchor.get("tags")),
        status=status,
    )


def entries(path: Path, shown: str) -> EntryItems:
    return export_entries(path, shown, NAME, _links(path), to_entry)


def entry_originals(path: Path) -> list[bytes]:
    return [str(anchor).encode("utf-8") for anchor, _ in _links(path)]


READER = export_reader(
    NAME,
    extensions=(".html", ".htm"),
    media_type="text/html",
    sniff=sniff,
    entries=entries,
    entry_originals=entry_originals,
)
