"""Obsidian Web Clipper notes: Markdown with YAML front matter (`title, source, author, published,
created, description, tags`). The body is Markdown, rendered by markdown-it-py (CommonMark, no
raw HTML passed through); the front matter is read with YAML's safe loader, aliases refused. A
note is one saved article: its original is the note file."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

from ..dates import parse_date
from ..errors import ArchiverError
from .entries import Entry, EntryItems, export_entries, export_reader

NAME = "obsidian-clip"
_FRONT = re.compile(rb"\A(?:\xef\xbb\xbf)?---\r?\n(.*?)\r?\n---\r?\n", re.S)


def sniff(head: bytes) -> int:
    front = _FRONT.match(head)
    return 3 if front and re.search(rb"^source:\s*\S", front.group(1), re.M) else 0


@cache
def _loader() -> type[Any]:
    """YAML's safe loader, refusing aliases: the clipper never writes one, and nine lines of
    them ("billion laughs") expand to a billion strings once a field is turned into text."""
    import yaml

    class NoAliases(yaml.SafeLoader):  # type: ignore[misc]
        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                raise ArchiverError("front matter uses a YAML alias (*name), which is not read; refused")
            return super().compose_node(parent, index)

    return NoAliases


def _note(path: Path) -> tuple[dict[str, Any], str]:
    import yaml

    data = path.read_bytes()
    front = _FRONT.match(data)
    if front is None:
        raise ArchiverError("no YAML front matter")
    try:
        fields = yaml.load(front.group(1).decode("utf-8", errors="replace"), Loader=_loader()) or {}  # noqa: S506
    except yaml.YAMLError as exc:
        raise ArchiverError(f"front matter is not valid YAML ({exc.__class__.__name__})") from exc
    if not isinstance(fields, dict):
        raise ArchiverError("front matter is not a set of fields")
    return fields, data[front.end() :].decode("utf-8", errors="replace")


def _names(value: Any) -> tuple[str, ...]:
    """A field the clipper writes as a list or as one value ("[[Ada Example]]" links included)."""
    values = value if isinstance(value, list) else [value] if value else []
    return tuple(dict.fromkeys(str(v).strip().strip("[]").strip() for v in values if str(v).strip()))


def to_entry(note: tuple[dict[str, Any], str]) -> Entry:
    from markdown_it import MarkdownIt

    fields, markdown = note
    if not fields.get("source"):
        raise ArchiverError("no source address in the front matter")
    when = {
        key: parse_date(str(fields[key])) if fields.get(key) else None for key in ("published", "created")
    }
    return Entry(
        url=str(fields["source"]),
        title=str(fields["title"]) if fields.get("title") else None,
        saved=when["created"],
        tags=_names(fields.get("tags")),
        note=str(fields["description"]) if fields.get("description") else None,
        content=MarkdownIt("commonmark", {"html": False}).render(markdown) if markdown.strip() else None,
        published=when["published"],
        authors=_names(fields.get("author")),
    )


def entries(path: Path, shown: str) -> EntryItems:
    return export_entries(path, shown, NAME, [_note(path)], to_entry)


READER = export_reader(
    NAME, extensions=(".md", ".markdown"), media_type="text/markdown", sniff=sniff, entries=entries,
    entry_originals=lambda path: [path.read_bytes()],
)  # fmt: skip
