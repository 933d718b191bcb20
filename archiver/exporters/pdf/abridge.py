"""An article too long to print whole: its beginning, cut where a page budget runs out, and a
closing note saying where the whole text is. A saved book or log of 100,000 paragraphs would
otherwise keep WeasyPrint laying out pages for hours, holding the whole export.

Pure functions on the article's XHTML body; the PDF exporter renders the result, counts its
pages and, when the guess was too generous, asks for a smaller cut.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from html import escape

from lxml import etree

from ...model import Article

CHARS_PER_PAGE = 3200  # of body text on an A4 page in print.css; measured, and only a first guess
IMAGE_CHARS = 1600  # an image takes about half a page


@dataclass(frozen=True)
class Cut:
    article: Article  # the beginning of the article, with the closing note
    kept: int  # the characters of text (images counted as IMAGE_CHARS) it keeps
    whole: int  # of the whole article


def text_weight(body: str) -> int:
    """The article's length in characters of text, an image counting as IMAGE_CHARS."""
    return _weight(_parse(body))


def may_be_over(article: Article, max_pages: int) -> bool:
    """Cheap first sieve: markup is never shorter than its text."""
    return len(article.body) + IMAGE_CHARS * article.body.count("<img") > max_pages * CHARS_PER_PAGE


def cut(article: Article, budget: int, max_pages: int, elsewhere: Sequence[str]) -> Cut:
    """The article's first `budget` characters of text, cut at a word and closing every element
    left open, then a note: printed in its first pages only, and where the whole text is."""
    root = _parse(article.body)
    whole = _weight(root)
    kept = _keep_first(root, budget)
    _unlink_cut_targets(root)
    note = etree.SubElement(root, "aside", {"class": "abridged"})
    note.append(etree.fromstring(f"<p>{escape(abridged_note(max_pages, kept, whole, elsewhere))}</p>"))
    body = "".join(etree.tostring(child, encoding="unicode") for child in root)
    return Cut(replace(article, body=escape(root.text or "", quote=False) + body), kept, whole)


def abridged_note(max_pages: int, kept: int, whole: int, elsewhere: Sequence[str]) -> str:
    places = [*elsewhere, "the saved original that the package's manifest.json lists"]
    return (
        f"This article is too long to print whole: the PDF holds its first {max(kept / whole, 0.01):.0%}, "
        f"in at most {max_pages:,} pages. Its whole text is in {', '.join(places[:-1])}"
        f"{' and in ' if len(places) > 1 else ''}{places[-1]}."
    )


def _weight(root: etree._Element) -> int:
    return sum(len(t) for t in root.itertext()) + IMAGE_CHARS * sum(1 for _ in root.iter("img"))


def _parse(body: str) -> etree._Element:
    return etree.fromstring(f"<div>{body}</div>", etree.XMLParser(huge_tree=True))


def _keep_first(root: etree._Element, budget: int) -> int:
    """Drops everything after the first `budget` characters of text; what was kept."""
    used = 0
    for event, element in etree.iterwalk(root, events=("start", "end")):
        if event == "start":
            if element.tag == "img" and used + IMAGE_CHARS > budget:
                _drop_after(element)
                parent = element.getparent()
                if parent is not None:
                    parent.remove(element)  # and its tail, which follows it
                return used
            used += IMAGE_CHARS if element.tag == "img" else 0
            text = element.text or ""
            if used + len(text) > budget:
                element.text = _words(text, budget - used)
                for child in list(element):
                    element.remove(child)
                element.tail = None
                _drop_after(element)
                return budget
            used += len(text)
        elif element is not root:
            tail = element.tail or ""
            if used + len(tail) > budget:
                element.tail = _words(tail, budget - used)
                _drop_after(element)
                return budget
            used += len(tail)
    return used


def _unlink_cut_targets(root: etree._Element) -> None:
    """A link to a part of the article that was cut off is left as its text."""
    ids = {value for element in root.iter() if (value := element.get("id"))}
    for link in root.iter("a"):
        href = link.get("href", "")
        if href.startswith("#") and href[1:] not in ids:
            del link.attrib["href"]


def _drop_after(element: etree._Element) -> None:
    """Removes what follows `element`, its own tail aside, in document order."""
    node = element
    while (parent := node.getparent()) is not None:
        for later in list(node.itersiblings()):
            parent.remove(later)
        node = parent
        node.tail = None


def _words(text: str, room: int) -> str:
    """The longest run of whole words of `text` within `room` characters, and an ellipsis."""
    head = text[: max(room, 0)]
    space = head.rfind(" ")
    return (head[:space] if space > 0 else head).rstrip() + " …"
