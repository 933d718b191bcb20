"""A very long article as several content documents. Reading systems page through a
multi-megabyte XHTML file slowly or not at all (Kobo and older Adobe engines set limits near
300 kB), so the article's body is cut between blocks, descending into a block only when it alone
is too large, and the wrappers it sat in are opened again in the next document."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from ..xhtml import XHTML

MAX_DOCUMENT_BYTES = 256 * 1024  # of serialized XHTML per content document
Wrappers = tuple[etree._Element, ...]  # the body's elements a piece sits in, outermost first


@dataclass
class _Part:
    root: etree._Element
    size: int = 0
    open: list[tuple[etree._Element, etree._Element]] = field(default_factory=list)  # (original, copy)


def split_body(body: etree._Element, limit: int = MAX_DOCUMENT_BYTES) -> list[etree._Element]:
    """`body` as copies of itself, each holding a run of its content of about `limit` bytes at
    most; the first copy is `body` itself, the content leaves the original tree."""
    if len(etree.tostring(body)) <= limit:
        return [body]
    pieces = list(_pieces(body, (), limit))
    for child in list(body):
        body.remove(child)
    parts = [_Part(body)]
    copied: set[int] = {id(body)}
    for wrappers, piece, size in pieces:
        part = parts[-1]
        if part.size and part.size + size > limit:
            part = _Part(_copy(body, copied))
            parts.append(part)
        _place(part, wrappers, piece, copied)
        part.size += size
    return [part.root for part in parts]


def _pieces(
    element: etree._Element, wrappers: Wrappers, limit: int
) -> Iterator[tuple[Wrappers, etree._Element | str, int]]:
    """(wrappers, element or text, size) in document order, each piece small enough, unless it
    is a block of text with no element inside that cannot be cut at a space."""
    for child in element:
        size = len(etree.tostring(child))
        if size <= limit or not isinstance(child.tag, str):
            yield wrappers, child, size
        elif len(child):
            inner = (*wrappers, child)
            if child.text:
                yield inner, child.text, len(child.text.encode())
            yield from _pieces(child, inner, limit)
            if child.tail:  # after the last copy of the wrapper
                yield wrappers, child.tail, len(child.tail.encode())
        else:
            for number, words in enumerate(_runs(child.text or "", limit // 2)):
                attributes = {k: v for k, v in child.attrib.items() if k != "id" or number == 0}
                piece = etree.Element(child.tag, attributes, nsmap=child.nsmap)
                piece.text = words
                yield wrappers, piece, len(words.encode()) + 64
            if child.tail:
                yield wrappers, child.tail, len(child.tail.encode())


def _runs(text: str, size: int) -> Iterator[str]:
    """`text` in runs of about `size` characters, ending after a line break, else after a space."""
    start = 0
    while start < len(text):
        end = start + size
        if end < len(text):
            cut = text.rfind("\n", start + size // 2, end)
            cut = cut if cut >= 0 else text.rfind(" ", start, end)
            end = cut + 1 if cut > start else end
        yield text[start:end]
        start = end


def _place(part: _Part, wrappers: Wrappers, piece: etree._Element | str, copied: set[int]) -> None:
    """Appends `piece` inside copies of its wrappers, reusing those the part has open."""
    same = 0
    while same < min(len(part.open), len(wrappers)) and part.open[same][0] is wrappers[same]:
        same += 1
    del part.open[same:]
    for original in wrappers[same:]:
        parent = part.open[-1][1] if part.open else part.root
        copy = _copy(original, copied)
        parent.append(copy)
        part.open.append((original, copy))
    holder = part.open[-1][1] if part.open else part.root
    if isinstance(piece, str):
        if len(holder):
            holder[-1].tail = (holder[-1].tail or "") + piece
        else:
            holder.text = (holder.text or "") + piece
    else:
        holder.append(piece)


def _copy(original: etree._Element, copied: set[int]) -> etree._Element:
    """An empty element like `original`; an id stays with the first copy only."""
    attributes = dict(original.attrib)
    if id(original) in copied:
        attributes.pop("id", None)
    copied.add(id(original))
    return etree.Element(original.tag, attributes, nsmap=original.nsmap)


def link_across(documents: dict[str, etree._Element]) -> None:
    """Points each `#id` link whose target went to another document at that document."""
    home = {
        value: name
        for name, root in documents.items()
        for element in root.iter()
        if (value := element.get("id"))
    }
    for name, root in documents.items():
        for link in root.iter(f"{{{XHTML}}}a"):
            href = link.get("href", "")
            target = home.get(href[1:]) if href.startswith("#") else None
            if target is not None and target != name:
                link.set("href", f"{target}{href}")
