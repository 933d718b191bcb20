"""What `archiver inspect` prints: one JSON object per article, or a table for people."""

from __future__ import annotations

import json
from typing import Any

from ..html.text import plain_text
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


def json_line(row: dict[str, Any]) -> str:
    return json.dumps(row, ensure_ascii=False)
