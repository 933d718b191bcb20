"""Pocket's 2024-2025 export, `pocket.zip`: the saves in `part_*.csv` (`title,url,time_added,tags,
status`) and their highlights in `annotations/part_*.json` (`[{url, title, highlights: [{quote,
created_at}]}]`). Read from the zip as it is, never unpacked (zipped.py)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from ..errors import ArchiverError
from ..model import Highlight
from .entries import (
    Entry,
    EntryItems,
    csv_record,
    csv_table,
    export_entries,
    export_reader,
    row_entry,
    unix_time,
)
from .pocket_csv import to_entry as row_to_entry
from .zipped import ZIP_MAGIC, member_names, members, unsafe

NAME = "pocket-zip"
Record = tuple[list[str], list[str]] | ArchiverError  # (header, row), or why a part could not be read


def sniff(head: bytes) -> int:
    """By its members' names, which detect() lists for a zip."""
    return 3 if head.startswith(ZIP_MAGIC + b"\n") and re.search(rb"\npart_\d+\.csv(\n|$)", head) else 0


def _records(path: Path) -> Iterator[Record]:
    names = member_names(path)
    wanted = [n for n in names if unsafe(n) or (n.startswith("part_") and n.endswith(".csv"))]
    for name, data in members(path, wanted):
        if isinstance(data, ArchiverError):
            yield data
            continue
        try:
            header, rows = csv_table(data)
        except ArchiverError as exc:
            yield ArchiverError(f"{name}: {exc}")
            continue
        yield from ((header, row) for row in rows)


def _highlights(path: Path) -> dict[str, tuple[Highlight, ...]]:
    wanted = [n for n in member_names(path) if n.startswith("annotations/") and n.endswith(".json")]
    found: dict[str, tuple[Highlight, ...]] = {}
    for _, data in members(path, wanted):
        if isinstance(data, ArchiverError):
            continue  # its entries keep their text; the parts' problems are reported with them
        try:
            items = json.loads(data)
        except ValueError:
            continue
        for item in items if isinstance(items, list) else ():
            if isinstance(item, dict) and item.get("url"):
                found[str(item["url"])] = tuple(
                    Highlight(str(h["quote"]), created=unix_time(h.get("created_at")))
                    for h in item.get("highlights") or ()
                    if isinstance(h, dict) and h.get("quote")
                )
    return found


def entries(path: Path, shown: str) -> EntryItems:
    highlights = _highlights(path)

    def to_entry(record: Record) -> Entry:
        if isinstance(record, ArchiverError):
            raise record
        entry = row_entry(*record, row_to_entry)
        return replace(entry, highlights=highlights.get(entry.url or "", ()))

    return export_entries(path, shown, NAME, _records(path), to_entry)


def entry_originals(path: Path) -> Iterator[bytes]:
    return (b"" if isinstance(r, ArchiverError) else csv_record(*r) for r in _records(path))


READER = export_reader(
    NAME,
    extensions=(".zip",),
    media_type="text/csv",
    sniff=sniff,
    entries=entries,
    entry_originals=entry_originals,
)
