"""Omnivore's export zip: `metadata_*.json` (the entries, as the lone metadata file), the saved
article in `content/{slug}.html`, and the highlights in `highlights/{slug}.md` (each a `> quote`,
then the note). Read from the zip as it is, never unpacked (zipped.py)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..errors import ArchiverError
from ..model import Highlight
from .bounded_json import list_items
from .entries import Entry, EntryItems, canonical_json, export_entries, export_reader
from .omnivore import to_entry as metadata_entry
from .zipped import ZIP_MAGIC, Zip, opened, unsafe

NAME = "omnivore-zip"
Record = dict[str, Any] | ArchiverError


def sniff(head: bytes) -> int:
    """By its members' names, which detect() lists for a zip."""
    return (
        3 if head.startswith(ZIP_MAGIC + b"\n") and re.search(rb"\nmetadata_[^\n/]*\.json(\n|$)", head) else 0
    )


def _records(archive: Zip) -> Iterator[Record]:
    wanted = [n for n in archive.names if unsafe(n) or (n.startswith("metadata_") and n.endswith(".json"))]
    for name, data in archive.members(wanted):
        if isinstance(data, ArchiverError):
            yield data
            continue
        try:
            yield from list_items(io.BytesIO(data))  # each entry within bounds (bounded_json.py)
        except ArchiverError as exc:
            yield ArchiverError(f"{name}: {exc}")


def parse_highlights(markdown: str) -> tuple[Highlight, ...]:
    """`> quote` lines, then the note's lines, until the next quote."""
    highlights: list[tuple[list[str], list[str]]] = []
    for line in markdown.replace("\r\n", "\n").split("\n"):
        if line.startswith(">"):
            if not highlights or highlights[-1][1]:
                highlights.append(([], []))
            highlights[-1][0].append(line[1:].strip())
        elif highlights and line.strip():
            highlights[-1][1].append(line.strip())
    return tuple(
        Highlight(" ".join(q for q in quote if q), "\n".join(note) or None)
        for quote, note in highlights
        if any(quote)
    )


def entries(path: Path, shown: str) -> EntryItems:
    with opened(path) as archive:
        yield from _entries(archive, path, shown)


def _entries(archive: Zip, path: Path, shown: str) -> EntryItems:
    names = set(archive.names)

    def text_of(name: str) -> str | None:
        return archive.read(name).decode("utf-8", errors="replace") if name in names else None

    def to_entry(record: dict[str, Any]) -> Entry:
        entry = metadata_entry(record)
        slug = str(record.get("slug") or "")
        notes = text_of(f"highlights/{slug}.md") if slug else None
        return replace(
            entry,
            content=text_of(f"content/{slug}.html") if slug else None,
            highlights=parse_highlights(notes) if notes else (),
        )

    return export_entries(path, shown, NAME, _records(archive), to_entry)


def entry_originals(path: Path) -> Iterator[bytes]:
    with opened(path) as archive:
        yield from map(canonical_json, _records(archive))


READER = export_reader(
    NAME, extensions=(".zip",), media_type="application/json", sniff=sniff, entries=entries,
    entry_originals=entry_originals,
)  # fmt: skip
