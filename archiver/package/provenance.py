"""The provenance record of one article: where it came from and how each fact was found.

Every output carries it (EPUB provenance.json, PDF attachment, WARC metadata record), so each
output is its own evidence. Keys are stable and values plain JSON, so records compare byte for byte.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from .. import __version__
from ..capture.record import capture_to_record
from ..dates import iso
from ..model import Article
from .fields import USERS, highlight, image, plain


def article_record(article: Article) -> dict[str, Any]:
    source = article.source
    return {
        **plain(article, "title", "url", "outlet", "authors", "published", "language"),
        "input": {
            "path": source.path,
            "kind": source.kind,
            "sha256": source.sha256,
            "size": source.size,
            "locator": source.locator,
        },
        **plain(article, "saved"),
        "origins": dict(sorted(source.origins.items())),
        "images": [image(r) for r in article.resources],
        **plain(article, *USERS),
        "highlights": [highlight(h) for h in article.highlights],
        "also_from": [
            {
                "path": other.path,
                "kind": other.kind,
                "sha256": other.sha256,
                "size": other.size,
                "locator": other.locator,
                "saved": iso(other.saved),
            }
            for other in article.also_from
        ],
        **({"capture": capture_to_record(article.capture)} if article.capture else {}),
    }


def collection_json(articles: Sequence[Article]) -> bytes:
    document = {"generator": f"archiver {__version__}", "articles": [article_record(a) for a in articles]}
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
