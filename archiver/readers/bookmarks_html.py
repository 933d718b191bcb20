"""Netscape bookmark files, as every browser and bookmark service exports them: `<DT><A HREF
ADD_DATE LAST_MODIFIED TAGS TOREAD>` inside nested `<DL>` folders, a `<DD>` note after a link.
They are seldom well-formed HTML; BeautifulSoup reads them as a browser would. `ADD_DATE` is in
seconds, milliseconds or microseconds, depending on the tool that wrote it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..urls import scheme
from .entries import Entry, EntryItems, export_entries, export_reader, split_tags, unix_time

NAME = "netscape-bookmarks"


def sniff(head: bytes) -> int:
    return 3 if b"<!doctype netscape-bookmark-file" in head[:4096].lower() else 0


def _anchors(path: Path) -> list[Any]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(path.read_bytes(), "html.parser")
    return [a for a in soup.find_all("a", href=True) if scheme(str(a["href"])) not in ("place", "javascript")]


def _note(anchor: Any) -> str | None:
    """The <DD> after the link, before the next link: its own text, not the entries a parser nested in it."""
    following = anchor.find_next(["a", "dd"])
    if following is None or following.name != "dd":
        return None
    text = "".join(str(part) for part in following.find_all(string=True, recursive=False)).strip()
    return text or None


def _folder(anchor: Any) -> str | None:
    """The folders a bookmark is in, outermost first: each <DL> it is inside follows its <H3> name."""
    names = [
        heading.get_text(strip=True)
        for dl in anchor.find_parents("dl")
        if (heading := dl.find_previous_sibling("h3"))
    ]
    return "/".join(reversed(names)) or None


def to_entry(anchor: Any) -> Entry:
    toread = anchor.get("toread")
    return Entry(
        url=str(anchor["href"]),
        title=anchor.get_text(strip=True) or None,
        saved=unix_time(anchor.get("add_date")),
        tags=split_tags(anchor.get("tags")),
        folder=_folder(anchor),
        status="unread" if toread == "1" else None,
        note=_note(anchor),
    )


def entries(path: Path, shown: str) -> EntryItems:
    return export_entries(path, shown, NAME, _anchors(path), to_entry)


def entry_originals(path: Path) -> list[bytes]:
    originals = []
    for anchor in _anchors(path):
        note = _note(anchor)
        originals.append((str(anchor) + (f"\n<DD>{note}" if note else "")).encode("utf-8"))
    return originals


READER = export_reader(
    NAME,
    extensions=(".html", ".htm"),
    media_type="text/html",
    sniff=sniff,
    entries=entries,
    entry_originals=entry_originals,
)
