"""Raindrop.io's CSV export (`id,title,note,excerpt,url,folder,tags,created,cover,highlights,
favorite`): a list of links with the user's note, folder, tags, star and highlights, one
highlight a line (`Highlight:` and `Note:` prefixes where Raindrop writes them)."""

from __future__ import annotations

from ..dates import parse_date
from ..model import Highlight
from .entries import Entry, csv_reader, flag, split_tags

NAME = "raindrop-csv"


def sniff(head: bytes) -> int:
    first = head.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0].strip().lower()
    return 3 if first.startswith(b"id,title,note,excerpt,url,folder,tags,created") else 0


def _highlights(cell: str) -> tuple[Highlight, ...]:
    highlights: list[Highlight] = []
    for line in (line.strip() for line in cell.splitlines()):
        if line.lower().startswith("note:") and highlights:
            highlights[-1] = Highlight(highlights[-1].quote, line[5:].strip() or None)
        elif line:
            highlights.append(Highlight(line.removeprefix("Highlight:").strip()))
    return tuple(h for h in highlights if h.quote)


def to_entry(cell: dict[str, str]) -> Entry:
    folder = cell.get("folder", "").strip()
    return Entry(
        url=cell["url"],
        title=cell.get("title") or None,
        saved=parse_date(cell["created"]) if cell.get("created") else None,
        tags=split_tags(cell.get("tags")),
        folder=None if folder.lower() in ("", "unsorted") else folder,
        starred=flag(cell["favorite"]) if cell.get("favorite") else None,
        note="\n\n".join(x for x in (cell.get("note", "").strip(), cell.get("excerpt", "").strip()) if x)
        or None,
        highlights=_highlights(cell.get("highlights", "")),
    )


READER = csv_reader(NAME, sniff, to_entry)
