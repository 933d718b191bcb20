"""manifest.json: one document that ties every input's hash to the article read from it and to
every output that holds it. JSON-LD (schema.org terms, PROV-O for derivation, archiver's own
terms for the rest); keys sorted, so the same package gives the same bytes.

The outputs carry each article's provenance inside them; only the manifest can carry the
outputs' own hashes.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, TextIO

from .. import __version__
from ..atomic import atomic_path
from ..book.collection import clean_language
from ..capture.record import capture_to_record
from ..dates import iso
from ..exporters import BY_MEDIA_TYPE
from ..exporters.base import Exporter
from ..model import Article, Failure, Source
from . import fields

CONTEXT = {
    "@vocab": "https://schema.org/",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "archiver": "https://archiver.invalid/terms#",  # archiver's own terms; not a web address to look up
}
NAME = "manifest.json"
# The fields whose origin an article node records, in its order (the metadata cascade's names)
ORIGINS = (
    "title",
    "authors",
    "outlet",
    "published",
    "saved",
    "url",
    "language",
    "tags",
    "folder",
    "status",
    "starred",
)
SCHEMA = "manifest.schema.json"


@dataclass(frozen=True)
class Entry:
    """An article in a package, with the hash of its input's bytes as saved (one message's, for a
    mailbox): that hash is its identity, and what duplicates are recognized by."""

    article: Article
    original: str


@dataclass(frozen=True)
class Output:
    path: str  # relative to the manifest
    exporter: Exporter
    size: int
    sha256: str
    articles: tuple[str, ...]  # the ids of the articles it holds
    abridged: tuple[
        tuple[str, str], ...
    ] = ()  # (article id, what the output holds of it and where the rest is)
    warnings: tuple[str, ...] = ()
    selection: dict[str, Any] | None = None  # which of the package's articles it holds (Selection.record)
    earlier: tuple[str, ...] = ()  # the ids of articles it holds an earlier version of (a WARC of a series)


def article_id(entry: Entry) -> str:
    return f"urn:sha256:{entry.original}"


def _frame(title: str, failures: Sequence[Failure], duplicates: Sequence[str]) -> dict[str, Any]:
    """The manifest with its two long lists empty: write() streams them into it."""
    return {
        "@context": CONTEXT,
        "@type": "Collection",
        "name": title,
        "dateCreated": created_time().isoformat(),
        "creator": {"@type": "SoftwareApplication", "name": "archiver", "softwareVersion": __version__},
        "hasPart": [],
        "associatedMedia": [],
        "archiver:problems": [
            {"archiver:path": f.path, "archiver:locator": f.locator, "description": f.problem}
            for f in failures
        ],
        "archiver:duplicates": list(duplicates),
    }


def output_node(output: Output, standard: dict[str, str]) -> dict[str, Any]:
    return {
        "@type": "MediaObject",
        "contentUrl": output.path,
        "encodingFormat": output.exporter.media_type,
        "contentSize": output.size,
        "sha256": output.sha256,
        "dcterms:conformsTo": standard[output.exporter.name],
        "prov:wasDerivedFrom": [{"@id": i} for i in output.articles],
        "archiver:abridged": [{"@id": i, "description": note} for i, note in output.abridged],
        "archiver:warnings": list(output.warnings),
        "archiver:selection": output.selection,
        **({"archiver:earlierVersionOf": [{"@id": i} for i in output.earlier]} if output.earlier else {}),
        "prov:wasGeneratedBy": {
            "@type": "prov:Activity",
            "archiver:software": _versions(("archiver", *output.exporter.software)),
        },
    }


def article_node(entry: Entry) -> dict[str, Any]:
    article, source = entry.article, entry.article.source
    origins = dict(source.origins)
    return {
        "@id": article_id(entry),
        "@type": "Article",
        **fields.in_manifest(article, "title"),
        "author": [{"@type": "Person", "name": name} for name in article.authors],
        "publisher": {"@type": "Organization", "name": article.outlet} if article.outlet else None,
        **fields.in_manifest(article, "published", "saved", "url"),
        "inLanguage": clean_language(article.language),
        "archiver:origins": {fields.BY_NAME[key].manifest: origins[key] for key in ORIGINS if key in origins},
        "prov:wasDerivedFrom": input_node(source),
        "archiver:alsoDerivedFrom": [input_node(other) for other in article.also_from],
        "image": [
            {
                "@type": "ImageObject",
                "archiver:reference": r.ref[:2000],
                "archiver:status": str(r.status),
                "archiver:resolvedBy": r.resolved_by,
                "encodingFormat": r.media_type,
                "sha256": r.sha256,
                "archiver:whyMissing": r.reason,
            }
            for r in article.resources
        ],
        **fields.in_manifest(article, *fields.USERS),
        "archiver:highlights": [
            {
                "archiver:quote": h.quote,
                "archiver:note": h.note,
                "dateCreated": iso(h.created),
                "archiver:placed": h.placed,
            }
            for h in article.highlights
        ],
        **({"archiver:capture": capture_to_record(article.capture)} if article.capture else {}),
    }


def input_node(source: Source) -> dict[str, Any]:
    return {
        "@type": "DigitalDocument",
        "archiver:path": source.path,
        "archiver:reader": source.kind,
        "contentSize": source.size,
        "sha256": source.sha256,
        "archiver:messageId": source.message_id,
        "archiver:mboxIndex": source.recorded_indexes[0],
        "archiver:entryIndex": source.recorded_indexes[1],
        "archiver:dateSaved": iso(source.saved),
    }


def previous_outputs(payload: Path) -> dict[str, Output]:
    """The outputs that the manifest in `payload` lists and that are still there: read back as
    build() wrote them, so that an output this export does not rewrite keeps its entry."""
    try:
        document = json.loads((payload / NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    found = {}
    for node in document.get("associatedMedia", []):
        exporter = BY_MEDIA_TYPE.get(str(node.get("encodingFormat")))
        path = str(node.get("contentUrl", ""))
        if exporter is not None and path and "/" not in path and (payload / path).exists():
            found[path] = Output(
                path,
                exporter,
                int(node["contentSize"]),
                str(node["sha256"]),
                tuple(d["@id"] for d in node.get("prov:wasDerivedFrom", [])),
                tuple((d["@id"], d["description"]) for d in node.get("archiver:abridged", [])),
                tuple(node.get("archiver:warnings", [])),
                node.get("archiver:selection"),
            )
    return found


def node_text(entry: Entry) -> str:
    """An article's entry as write() puts it in the manifest, kept by the index."""
    return json.dumps(article_node(entry), ensure_ascii=False, indent=2, sort_keys=True)


def write(
    path: Path,
    title: str,
    nodes: Iterable[str],
    outputs: Iterable[Output],
    failures: Sequence[Failure],
    duplicates: Sequence[str],
    standard: dict[str, str],
) -> None:
    """manifest.json, streamed: the bytes json.dumps(indent=2, sort_keys=True) would give the
    whole document, each output's entry made as it comes and each article's as the index keeps
    it (node_text), so that a package of any size is written without being held."""
    empty = dumps(_frame(title, failures, duplicates)).decode("utf-8")
    head, rest = empty.split('\n  "associatedMedia": [],\n')
    middle, tail = rest.split('\n  "hasPart": [],\n')
    media = (
        json.dumps(output_node(output, standard), ensure_ascii=False, indent=2, sort_keys=True)
        for output in outputs
    )
    with atomic_path(path) as temporary, temporary.open("w", encoding="utf-8") as out:
        out.write(head)
        _list(out, "associatedMedia", media)
        out.write(middle)
        _list(out, "hasPart", nodes)
        out.write(tail)


def _list(out: TextIO, key: str, items: Iterable[str]) -> None:
    """A list of the manifest's top level, as json.dumps(indent=2) writes it."""
    out.write(f'\n  "{key}": [')
    count = 0
    for count, item in enumerate(items, 1):
        out.write(("\n    " if count == 1 else ",\n    ") + item.replace("\n", "\n    "))
    out.write(("\n  ]" if count else "]") + ",\n")


def dumps(manifest: dict[str, Any]) -> bytes:
    return (json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def created_time() -> datetime:
    """Now, unless SOURCE_DATE_EPOCH asks for a fixed time (byte-identical rebuilds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    moment = datetime.fromtimestamp(int(epoch), UTC) if epoch.isdigit() else datetime.now(UTC)
    return moment.replace(microsecond=0)


@cache
def _versions(names: tuple[str, ...]) -> dict[str, str]:
    found = {}
    for name in names:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "unknown"
    return found
