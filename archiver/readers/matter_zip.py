"""Matter's `Archive.zip`: `_matter_history.csv` (`Title, Author, Publisher, URL, ..., Saved, Read,
File Id, Tags, Favorited`), the article's HTML in the member its `File Id` names, and the
highlights in `_matter_highlights.csv`. Read from the zip as it is, never unpacked (zipped.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from ..dates import parse_date
from ..errors import ArchiverError
from ..model import Highlight
from .entries import (
    Entry,
    EntryItems,
    csv_record,
    csv_table,
    export_entries,
    export_reader,
    flag,
    row_cells,
    split_tags,
)
from .zipped import ZIP_MAGIC, Zip, opened

NAME = "matter-zip"
HISTORY, HIGHLIGHTS = "_matter_history.csv", "_matter_highlights.csv"


def sniff(head: bytes) -> int:
    """By its members' names, which detect() lists for a zip."""
    return (
        3 if head.startswith(ZIP_MAGIC + b"\n") and re.search(rb"\n_matter_history\.csv(\n|$)", head) else 0
    )


def _highlights(archive: Zip) -> dict[str, tuple[Highlight, ...]]:
    if HIGHLIGHTS not in archive.names:
        return {}
    header, rows = csv_table(archive.read(HIGHLIGHTS))
    found: dict[str, list[Highlight]] = {}
    for row in rows:
        if isinstance(row, ArchiverError):
            continue  # a row the csv module refuses holds no highlight archiver can place
        cell = row_cells(header, row)
        quote = cell.get("text") or cell.get("highlight") or ""
        if cell.get("url") and quote.strip():
            when = cell.get("created date") or cell.get("created")
            found.setdefault(cell["url"], []).append(
                Highlight(quote.strip(), cell.get("note") or None, parse_date(when) if when else None)
            )
    return {url: tuple(found[url]) for url in found}


def entries(path: Path, shown: str) -> EntryItems:
    with opened(path) as archive:
        yield from _entries(archive, path, shown)


def _entries(archive: Zip, path: Path, shown: str) -> EntryItems:
    names = set(archive.names)
    header, rows = csv_table(archive.read(HISTORY))
    highlights = _highlights(archive)

    def to_entry(row: list[str]) -> Entry:
        cell = row_cells(header, row)
        if not cell.get("url"):
            raise ValueError("a row without an address")
        file_id = cell.get("file id", "").strip()
        member = next((n for n in (file_id, f"{file_id}.html") if file_id and n in names), None)
        content = None
        if member is not None:
            content = archive.read(member).decode("utf-8", errors="replace")
        read_cell = cell.get("read", "").strip()
        return Entry(
            url=cell["url"],
            title=cell.get("title") or None,
            saved=parse_date(cell["saved"]) if cell.get("saved") else None,
            tags=split_tags(cell.get("tags")),
            status=("archived" if read_cell and read_cell.lower() not in ("false", "0", "no") else "unread")
            if "read" in cell
            else None,
            starred=flag(cell["favorited"]) if cell.get("favorited") else None,
            content=content,
            authors=(cell["author"],) if cell.get("author") else (),
            highlights=highlights.get(cell["url"], ()),
        )

    return export_entries(path, shown, NAME, rows, to_entry)


def entry_originals(path: Path) -> Iterator[bytes]:
    with opened(path) as archive:
        header, rows = csv_table(archive.read(HISTORY))
        yield from (b"" if isinstance(row, ArchiverError) else csv_record(header, row) for row in rows)


READER = export_reader(
    NAME,
    extensions=(".zip",),
    media_type="text/csv",
    sniff=sniff,
    entries=entries,
    entry_originals=entry_originals,
)
