"""Highlights placed in an article's text: each quote is found in the body, whatever the
whitespace and quote marks, and wrapped in <mark class="highlight"> there (one mark per element
the passage crosses). A quote that is not found is left for the outputs to list beside the text."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace

from lxml import etree

from ..model import Article, Highlight

_FOLD = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "“": '"', "”": '"', "„": '"', "‟": '"',
                       "\u00a0": " "})  # fmt: skip


def place_highlights(
    body: str, highlights: Sequence[Highlight], first: int = 1
) -> tuple[str, tuple[Highlight, ...]]:
    """The body with each highlight marked where it is found, and the highlights saying which were.
    Each mark says which highlight it is (data-highlight, counted from `first`: the highlight's
    place among the article's, from 1), so that the outputs can link to it and hang its note there."""
    if not highlights or not body:
        return body, tuple(highlights)
    root = etree.fromstring(f"<div>{body}</div>")
    placed = tuple(replace(h, placed=_mark(root, h, n)) for n, h in enumerate(highlights, first))
    text = etree.tostring(root, encoding="unicode", method="xml", with_tail=False)
    return text.removeprefix("<div>").removesuffix("</div>"), placed


def with_highlights(article: Article, highlights: Sequence[Highlight]) -> Article:
    """The article with the highlights placed in its text; one not found there is listed after
    it, with a warning, never lost."""
    body, placed = place_highlights(article.body, highlights)
    missed = tuple(
        f"highlight not found in the text, listed after it: {_excerpt(h.quote)}"
        for h in placed
        if not h.placed
    )
    return replace(article, body=body, highlights=placed, warnings=article.warnings + missed)


def _excerpt(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return f"“{text if len(text) <= limit else text[: limit - 1] + '…'}”"


def _segments(element: etree._Element) -> Iterator[tuple[etree._Element, str]]:
    """The text of a tree in reading order: (element, "text") for its text, (child, "tail") for
    the text after a child."""
    if element.text:
        yield element, "text"
    for child in element:
        yield from _segments(child)
        if child.tail:
            yield child, "tail"


def _normalized(text: str, keep: list[tuple[int, int]] | None = None, segment: int = 0) -> str:
    """Quote marks folded, whitespace runs as one space; with `keep`, where each character came from."""
    out: list[str] = []
    for index, char in enumerate(text.translate(_FOLD)):
        if char.isspace():
            if out and out[-1] == " ":
                continue
            char = " "
        out.append(char)
        if keep is not None:
            keep.append((segment, index))
    return "".join(out)


def _mark(root: etree._Element, highlight: Highlight, number: int) -> bool:
    quote = _normalized(highlight.quote).strip()
    if not quote:
        return False
    segments = list(_segments(root))
    where: list[tuple[int, int]] = []
    text = ""
    for place, (node, attr) in enumerate(segments):
        part = _normalized(getattr(node, attr), where, place)
        if text.endswith(" ") and part.startswith(" "):  # one space across elements, as it reads
            del where[len(text)]
            part = part[1:]
        text += part
    start = text.find(quote)
    if start < 0:
        start = text.casefold().find(quote.casefold())
    if start < 0:
        return False
    spans: dict[int, list[int]] = {}
    for segment, index in where[start : start + len(quote)]:
        spans.setdefault(segment, []).append(index)
    for segment in sorted(spans, reverse=True):  # from the end, so earlier places stay where they were
        node, attr = segments[segment]
        _wrap(node, attr, min(spans[segment]), max(spans[segment]) + 1, highlight.note, number)
    return True


def _wrap(node: etree._Element, attr: str, start: int, end: int, note: str | None, number: int) -> None:
    text = getattr(node, attr)
    mark = etree.Element("mark", {"class": "highlight", "data-highlight": str(number)})
    if note:
        mark.set("title", note)
    mark.text, mark.tail = text[start:end], text[end:]
    setattr(node, attr, text[:start])
    if attr == "text":
        node.insert(0, mark)
    else:
        parent = node.getparent()
        assert parent is not None  # a tail always has a parent: the root has none
        parent.insert(parent.index(node) + 1, mark)
