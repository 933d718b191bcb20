"""Articles kept between runs: a package folder remembers what it holds, so that a later export
with more inputs adds to it without the earlier inputs being at hand.

Records are plain JSON (never pickle: a package folder may come from someone else); bytes
(images, each input as saved) live beside them as files named by their sha256.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..atomic import write_atomic
from ..capture.record import capture_from_record, capture_to_record
from ..dates import iso
from ..errors import ArchiverError
from ..model import Article, Highlight, Resource, ResourceStatus, Source, frozen_map
from .fields import USERS, highlight, image, plain


class ObjectStore:
    """Bytes by content: writing the same bytes twice is one file."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def put(self, data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()
        path = self._path(digest)
        if not path.is_file():
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, data)
        return digest

    def get(self, digest: str) -> bytes:
        try:
            data = self._path(digest).read_bytes()
        except OSError as exc:
            raise ArchiverError(
                f"the package's stored copy {digest[:16]}… is missing: {exc.strerror}"
            ) from exc
        if hashlib.sha256(data).hexdigest() != digest:
            raise ArchiverError(f"the package's stored copy {digest[:16]}… is damaged")
        return data

    def _path(self, digest: str) -> Path:
        if len(digest) != 64 or not all(c in "0123456789abcdef" for c in digest):
            raise ArchiverError(f"not a sha256: {digest[:70]!r}")
        return self.folder / digest[:2] / digest


def article_to_record(article: Article, store: ObjectStore) -> dict[str, Any]:
    return {
        **plain(article, "title"),
        "body": article.body,
        **plain(article, "url", "outlet", "authors", "published", "language"),
        "description": article.description,
        **plain(article, *USERS),
        "source": _source_record(article.source),
        "also_from": [_source_record(other) for other in article.also_from],
        "highlights": [highlight(h) for h in article.highlights],
        "resources": [
            {**image(r), "stored": store.put(r.data) if r.data is not None else None}
            for r in article.resources
        ],
        "capture": capture_to_record(article.capture) if article.capture else None,
    }


def article_from_record(
    record: dict[str, Any], store: ObjectStore, shared: dict[str, bytes] | None = None
) -> Article:
    """The article a record keeps; with `shared`, each image's bytes read once for every article
    loaded with the same dict (a mailbox of newsletters repeats its logos thousands of times)."""

    def stored(digest: str) -> bytes:
        if shared is None:
            return store.get(digest)
        if digest not in shared:
            shared[digest] = store.get(digest)
        return shared[digest]

    return Article(
        title=record["title"],
        body=record["body"],
        url=record["url"],
        outlet=record["outlet"],
        authors=tuple(record["authors"]),
        published=_parse_when(record["published"]),
        language=record["language"],
        description=record["description"],
        warnings=tuple(record["warnings"]),
        tags=tuple(record.get("tags", ())),  # absent from states written before tags were kept
        folder=record.get("folder"),
        status=record.get("status"),
        starred=record.get("starred"),
        content=record.get("content", "full"),
        source=_source_from(record["source"]),
        also_from=tuple(_source_from(other) for other in record.get("also_from", ())),
        highlights=tuple(
            Highlight(h["quote"], h["note"], _parse_when(h["created"]), h["placed"])
            for h in record.get("highlights", ())
        ),
        resources=tuple(
            Resource(
                ref=r["ref"],
                status=ResourceStatus(r["status"]),
                media_type=r["media_type"],
                data=stored(r["stored"]) if r["stored"] else None,
                sha256=r["sha256"],
                resolved_by=r["resolved_by"],
                reason=r["reason"],
            )
            for r in record["resources"]
        ),
        capture=capture_from_record(record["capture"]) if record.get("capture") else None,
    )


def _source_record(source: Source) -> dict[str, Any]:
    return {
        "path": source.path,
        "kind": source.kind,
        "sha256": source.sha256,
        "size": source.size,
        "message_id": source.message_id,
        "entry_index": source.entry_index,
        "saved": iso(source.saved),
        "origins": dict(source.origins),
    }


def _source_from(record: dict[str, Any]) -> Source:
    if "locator" in record:  # state version 1 (archiver 0.1.0) kept the locator as its text
        record = {**record, **_legacy_locator(record["locator"])}
    if record.get("mbox_index") is not None:  # versions 2 and 3 kept a message's index apart
        record = {**record, "entry_index": record["mbox_index"]}
    return Source(
        path=record["path"],
        kind=record["kind"],
        sha256=record["sha256"],
        size=record["size"],
        message_id=record["message_id"],
        entry_index=record.get("entry_index"),
        saved=_parse_when(record["saved"]),
        origins=frozen_map(record["origins"]),
    )


def _legacy_locator(text: str | None) -> dict[str, Any]:
    """The fields of a locator as state version 1 wrote it, "mbox-index:3 message-id:<...>",
    either part absent (a Message-ID may hold spaces: only the first space separates)."""
    index, message_id, rest = None, None, text or ""
    if rest.startswith("mbox-index:"):
        first, _, rest = rest.partition(" ")
        index = int(first.removeprefix("mbox-index:"))
    if rest.startswith("message-id:"):
        message_id = rest.removeprefix("message-id:")
    return {"entry_index": index, "message_id": message_id}


def _parse_when(value: str | None) -> datetime | date | None:
    """A date stays a date (it said nothing about the time), a time stays a time."""
    if value is None:
        return None
    return date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value)
