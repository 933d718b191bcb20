"""What `archiver inspect` prints: one JSON object per article, or a table for people."""

from __future__ import annotations

import json
from typing import Any

from ..model import Article
from ..package.fields import USERS, highlight, image, plain


def article_row(article: Article, shown: str, index: int, text: bool = False) -> dict[str, Any]:
    """The --json line for one article (its keys and their order are a public format); with
    `text`, the body as plain text too."""
    row = {
        "input": shown,
        "index": index,
        **plain(article, "title", "url", "outlet", "authors", "published", "saved", "language"),
        "images": [image(r, with_provenance=False) for r in article.resources],
        **plain(article, *USERS),
        "highlights": [highlight(h, with_created=False) for h in article.highlights],
    }
    if text:
        row["text"] = plain_text(article.body)
    return row


# Elements after which the text breaks: what a reader sees as separate blocks.
_BLOCKS = frozenset(
    "address article aside blockquote caption dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 header "
    "hr li ol p pre section table td th tr ul".split()
)


def plain_text(body: str) -> str:
    """An article's XHTML body as text: one line per block, whitespace inside a block folded;
    the notes archiver puts where an image could not be kept are not the article's text."""
    from lxml import etree

    root = etree.fromstring(f"<div>{body}</div>")
    for holder in root.xpath('.//*[@class="missing-image"]'):  # archiver's note, not the article's text
        parent, previous = holder.getparent(), holder.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + (holder.tail or "")
        else:
            parent.text = (parent.text or "") + (holder.tail or "")
        parent.remove(holder)
    for element in root.iter():
        if element.tag in _BLOCKS or element.tag == "br":
            element.tail = "\n" + (element.tail or "")
    lines = (" ".join(line.split()) for line in "".join(root.itertext()).split("\n"))
    return "\n".join(line for line in lines if line)


def json_line(row: dict[str, Any]) -> str:
    return json.dumps(row, ensure_ascii=False)
