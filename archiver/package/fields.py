"""One table of an article's fields as plain data. The state file (store.py), the provenance record
(provenance.py), the manifest (manifest.py) and `inspect --json` (cli/report.py) each take their
fields from it, in the order and under the names their format has always had: a field changed or
added here is changed in all of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..dates import iso
from ..model import Article, Highlight, Resource


@dataclass(frozen=True)
class Field:
    name: str  # the key in the state file, the provenance record and inspect's JSON
    manifest: str  # the key in manifest.json (schema.org's term where there is one)
    value: Callable[[Article], Any]  # its value, as JSON data


FIELDS = (
    Field("title", "headline", lambda a: a.title),
    Field("url", "url", lambda a: a.url),
    Field("outlet", "publisher", lambda a: a.outlet),
    Field("authors", "author", lambda a: list(a.authors)),
    Field("published", "datePublished", lambda a: iso(a.published)),
    Field("saved", "archiver:dateSaved", lambda a: iso(a.source.saved)),
    Field("language", "inLanguage", lambda a: a.language),
    Field("warnings", "archiver:warnings", lambda a: list(a.warnings)),
    Field("tags", "keywords", lambda a: list(a.tags)),  # the user's own labels
    Field("folder", "archiver:folder", lambda a: a.folder),
    Field("status", "archiver:readingStatus", lambda a: a.status),
    Field("starred", "archiver:starred", lambda a: a.starred),
    Field("content", "archiver:content", lambda a: a.content),
)
BY_NAME = {field.name: field for field in FIELDS}
# What the user keeps of an article, the same in every format and in this order
USERS = ("warnings", "tags", "folder", "status", "starred", "content")


def plain(article: Article, *names: str) -> dict[str, Any]:
    """The fields `names` of the article, in that order, under their own names."""
    return {name: BY_NAME[name].value(article) for name in names}


def in_manifest(article: Article, *names: str) -> dict[str, Any]:
    """The same, under the manifest's names."""
    return {BY_NAME[name].manifest: BY_NAME[name].value(article) for name in names}


def image(resource: Resource, with_provenance: bool = True) -> dict[str, Any]:
    """An image as its reference, status, type and hash; `with_provenance`, also how it was found
    or why it is missing."""
    found = {
        "ref": resource.ref,
        "status": str(resource.status),
        "media_type": resource.media_type,
        "sha256": resource.sha256,
    }
    if with_provenance:
        found |= {"resolved_by": resource.resolved_by, "reason": resource.reason}
    return found


def highlight(mark: Highlight, with_created: bool = True) -> dict[str, Any]:
    created = {"created": iso(mark.created)} if with_created else {}
    return {"quote": mark.quote, "note": mark.note, **created, "placed": mark.placed}
