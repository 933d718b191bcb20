"""Pocket's 2024-2025 export, `pocket.zip`: the saves in `part_*.csv` (`title,url,time_added,tags,
status`) and their highlights in `annotations/part_*.json` (`[{url, title, highlights: [{quote,
created_at}]}]`). Read from the zip as it is, never unpacked (zipped.py)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from ..errors import ArchiverError
from ..model import Failure, Highlight
from .bounded_json import list_items
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
from .zipped import ZIP_MAGIC, Zip, opened, unsafe

NAME = "pocket-zip"
Record = tuple[list[str], list[str]] | ArchiverError  # (header, row), or why a part could not be read


def sniff(head: bytes) -> int:
    """By its members' names, which detect() lists for a zip."""
    return 3 if head.startswith(ZIP_MAGIC + b"\n") and re.search(rb"\npart_\d+\.csv(\n|$)", head) else 0


def _records(archive: Zip) -> Iterator[Record]:
    wanted = [n for n in archive.names if unsafe(n) or (n.startswith("part_") and n.endswith(".csv"))]
    for name, data in archive.members(wanted):
        if isinstance(data, ArchiverError):
            yield data
            continue
        try:
            header, rows = csv_table(data)
        except ArchiverError as exc:
            yield ArchiverError(f"{name}: {exc}")
            continue
        yield from (row if isinstance(row, ArchiverError) else (header, row) for row in rows)


def _highlights(archive: Zip) -> tuple[dict[str, tuple[Highlight, ...]], list[tuple[str, str]]]:
    """The highlights by address, and why each `annotations/` member that could not be read was
    not (its saves keep their text: only that member's highlights are missing)."""
    wanted = [n for n in archive.names if n.startswith("annotations/") and n.endswith(".json")]
    found: dict[str, tuple[Highlight, ...]] = {}
    problems: list[tuple[str, str]] = []
    for name, data in archive.members(wanted):
        try:
            if isinstance(data, ArchiverError):
                raise data
            found.update(_member_highlights(data))
        except (ArchiverError, ValueError, TypeError, KeyError, AttributeError) as exc:
            problems.append((name, f"{name}: {exc or type(exc).__name__}; its highlights are not read"))
    return found, problems


def _member_highlights(data: bytes) -> dict[str, tuple[Highlight, ...]]:
    found: dict[str, tuple[Highlight, ...]] = {}
    for item in list_items(io.BytesIO(data)):
        if isinstance(item, ArchiverError):
            raise item
        if isinstance(item, dict) and item.get("url"):
            marks = item.get("highlights") or []
            if not isinstance(marks, list):
                raise ValueError(f"the highlights of {item['url']} are not a list")
            found[str(item["url"])] = tuple(
                Highlight(str(h["quote"]), created=unix_time(h.get("created_at")))
                for h in marks
                if isinstance(h, dict) and h.get("quote")
            )
    return found


def entries(path: Path, shown: str) -> EntryItems:
    with opened(path) as archive:
        highlights, problems = _highlights(archive)
        yield from (Failure(shown, why, f"member:{name}") for name, why in problems)

        def to_entry(record: tuple[list[str], list[str]]) -> Entry:
            entry = row_entry(*record, row_to_entry)
            return replace(entry, highlights=highlights.get(entry.url or "", ()))

        yield from export_entries(path, shown, NAME, _records(archive), to_entry)


def entry_originals(path: Path) -> Iterator[bytes]:
    with opened(path) as archive:
        yield from (b"" if isinstance(r, ArchiverError) else csv_record(*r) for r in _records(archive))


READER = export_reader(
    NAME,
    extensions=(".zip",),
    media_type="text/csv",
    sniff=sniff,
    entries=entries,
    entry_originals=entry_originals,
)
