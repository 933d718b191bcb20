"""What `archiver inspect` prints: one JSON object per article, or a table for people."""

from __future__ import annotations

import json
from typing import Any

from .dates import iso
from .model import Article


def article_row(article: Article, shown: str, index: int) -> dict[str, Any]:
    """The --json line for one article (its keys and their order are a public format)."""
    return {
        "input": shown,
        "index": index,
        "title": article.title,
        "url": article.url,
        "outlet": article.outlet,
        "authors": list(article.authors),
        "published": iso(article.published),
        "saved": iso(article.source.saved),
        "language": article.language,
        "images": [
            {"ref": r.ref, "status": str(r.status), "media_type": r.media_type, "sha256": r.sha256}
            for r in article.resources
        ],
        "warnings": list(article.warnings),
    }


def json_line(row: dict[str, Any]) -> str:
    return json.dumps(row, ensure_ascii=False)
