"""A plain list of web addresses (`text/uri-list`, RFC 2483: one address a line, `#` comments), as
people keep them in a text file: each address a link article, which `--fetch` captures."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..urls import is_web_url
from .entries import Entry, EntryItems, export_entries, export_reader

NAME = "address-list"


def sniff(head: bytes) -> int:
    """Every line an address or a comment, and at least one address (in the first 64 kB)."""
    if head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] not in (b"h", b"H", b"#"):
        return 0  # markup, mail headers, JSON: not a list of http(s) addresses
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        text = head[: head.rfind(b"\n")].decode("utf-8", errors="replace")
    lines = [line.strip() for line in text.splitlines()[:-1] or text.splitlines()]
    addresses = [line for line in lines if line and not line.startswith("#")]
    return 3 if addresses and all(is_web_url(line) and " " not in line for line in addresses) else 0


def _addresses(path: Path) -> Iterator[str]:
    with path.open(encoding="utf-8", errors="replace") as handle:
        for line in handle:
            address = line.strip()
            if address and not address.startswith("#"):
                yield address


def to_entry(address: str) -> Entry:
    if not is_web_url(address) or " " in address:
        raise ValueError(f"not a web address: {address[:80]!r}")
    return Entry(url=address)


def entries(path: Path, shown: str) -> EntryItems:
    return export_entries(path, shown, NAME, _addresses(path), to_entry)


READER = export_reader(
    NAME, extensions=(".txt", ".uri", ".uris", ".url"), media_type="text/uri-list", sniff=sniff,
    entries=entries, entry_originals=lambda path: (a.encode("utf-8") for a in _addresses(path)),
)  # fmt: skip
