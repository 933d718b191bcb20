"""Pocket, as ArchiveBox's pocket-exporter saved it: `articles/{savedId}/index.json` (Pocket's
GraphQL `SavedItem`: `status`, `isFavorite`, `tags[]`, `annotations.highlights[]`, `item{...}`)
beside the article's HTML and the images it downloaded.

The HTML is Pocket's parsed article (`article.html`, earlier versions) or the page as the
exporter downloaded it (`original.html`, later ones), whose article is extracted like any saved
page. Images were saved under the name the exporter derived from each address; they stand in
for those addresses, and nothing else in the folder is read.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from ..dates import parse_date
from ..errors import ArchiverError
from ..model import Highlight, ReadingStatus
from .entries import Entry, EntryItems, export_entries, export_reader, json_records, unix_time

NAME = "pocket-exporter"
ARTICLE, PAGE = "article.html", "original.html"  # Pocket's parsed article; the page as downloaded
STATUSES: dict[str, ReadingStatus] = {"UNREAD": "unread", "ARCHIVED": "archived"}
IMAGE_BYTES = 50 * 2**20  # the exporter's own bound on one article's images
_UNSAFE_NAME = re.compile(r"[^a-zA-Z0-9._-]")


def sniff(head: bytes) -> int:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return 3 if start.startswith(b"{") and b'"savedId"' in head and b'"isFavorite"' in head else 0


def entries(path: Path, shown: str) -> EntryItems:
    return export_entries(path, shown, NAME, [json_records(path)], lambda item: to_entry(item, path.parent))


def to_entry(saved: Any, folder: Path) -> Entry:
    if not isinstance(saved, dict):
        raise ArchiverError("not a Pocket SavedItem")
    item: dict[str, Any] = saved["item"] if isinstance(saved.get("item"), dict) else {}
    url = saved.get("url") or item.get("givenUrl") or item.get("resolvedUrl")
    if not url:
        raise ArchiverError("a saved item without an address")
    entry = Entry(
        url=str(url),
        title=saved.get("title") or item.get("title") or None,
        saved=unix_time(saved.get("_createdAt")),
        tags=tuple(dict.fromkeys(str(t["name"]) for t in saved.get("tags") or () if t.get("name"))),
        status=STATUSES.get(str(saved.get("status", "")).upper())
        or ("archived" if saved.get("isArchived") else None),
        starred=bool(saved["isFavorite"]) if saved.get("isFavorite") is not None else None,
        note=item.get("excerpt") or None,
        published=parse_date(str(item["datePublished"])) if item.get("datePublished") else None,
        authors=tuple(str(a["name"]) for a in item.get("authors") or () if a.get("name")),
        highlights=tuple(_highlight(h) for h in (saved.get("annotations") or {}).get("highlights") or ()),
    )
    for name, whole_page in ((ARTICLE, False), (PAGE, True)):
        if (folder / name).is_file():
            text = (folder / name).read_bytes().decode("utf-8", errors="replace")
            return replace(entry, content=text, whole_page=whole_page, images=_images(item, folder))
    return entry


def _highlight(found: dict[str, Any]) -> Highlight:
    note = found.get("note") or {}
    return Highlight(
        quote=str(found["quote"]),
        note=str(note["text"]) if isinstance(note, dict) and note.get("text") else None,
        created=unix_time(found.get("_createdAt")),
    )


def _images(item: dict[str, Any], folder: Path) -> tuple[tuple[str, bytes], ...]:
    """(address, bytes) of each image the exporter saved beside the article, found by the name it
    gave each address: the top image, then the article's images in order."""
    wanted: list[tuple[str, str]] = []
    if item.get("topImageUrl"):
        top = str(item["topImageUrl"])
        wanted.append((top, "top_image" + PurePosixPath(_file_name(top, 0)).suffix))
    for index, image in enumerate(item.get("images") or ()):
        if isinstance(image, dict) and image.get("src"):
            wanted.append((str(image["src"]), _file_name(str(image["src"]), index)))
    found: dict[str, bytes] = {}
    total = 0
    for address, name in wanted:
        path = folder / name
        if address not in found and path.is_file():
            total += path.stat().st_size
            if total > IMAGE_BYTES:
                break
            found[address] = path.read_bytes()
    return tuple(found.items())


def _file_name(address: str, index: int) -> str:
    """The file name pocket-exporter gives an image's address."""
    try:
        name = PurePosixPath(urlsplit(address).path).name
    except ValueError:
        name = ""
    return _UNSAFE_NAME.sub("_", name) if "." in name else f"image_{index}.jpg"


READER = export_reader(
    NAME, extensions=(".json",), media_type="application/json", sniff=sniff, entries=entries,
    entry_originals=lambda path: [path.read_bytes()], companions=(ARTICLE, PAGE),
)  # fmt: skip
