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


def article_record(article: Article) -> dict[str, Any]:
    source = article.source
    return {
        "title": article.title,
        "url": article.url,
        "outlet": article.outlet,
        "authors": list(article.authors),
        "published": iso(article.published),
        "language": article.language,
        "input": {
            "path": source.path,
            "kind": source.kind,
            "sha256": source.sha256,
            "size": source.size,
            "locator": source.locator,
        },
        "saved": iso(source.saved),
        "origins": dict(sorted(source.origins.items())),
        "images": [
            {
                "ref": r.ref,
                "status": str(r.status),
                "media_type": r.media_type,
                "sha256": r.sha256,
                "resolved_by": r.resolved_by,
                "reason": r.reason,
            }
            for r in article.resources
        ],
        "warnings": list(article.warnings),
        "tags": list(article.tags),
        "folder": article.folder,
        "status": article.status,
        "starred": article.starred,
        "content": article.content,
        "highlights": [
            {"quote": h.quote, "note": h.note, "created": iso(h.created), "placed": h.placed}
            for h in article.highlights
        ],
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
