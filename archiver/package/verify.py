"""`archiver verify`: does a package still hold what its manifest says? Every output is hashed
again, the provenance inside each output is compared with the manifest, and every input still
where it was read is hashed again."""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bagit

from ..errors import ArchiverError
from ..exporters import BY_MEDIA_TYPE
from ..hashing import sha256_file, sha256_output
from ..model import locator_text
from ..search.store import NAME as SEARCH
from . import STATE_FOLDER
from .commit import finish
from .index import NAME as INDEX
from .lookup import opened
from .manifest import NAME as MANIFEST


@dataclass(frozen=True)
class Check:
    ok: bool
    subject: str  # the file
    detail: str


def verify(folder: Path) -> Iterator[Check]:
    state = folder / STATE_FOLDER
    if state.is_dir() and finish(folder, state):
        yield Check(True, f"{STATE_FOLDER}/{INDEX}", "finished an export stopped after its commit point")
    payload = folder / "data" if (folder / "bagit.txt").is_file() else folder
    try:
        document = json.loads((payload / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        yield Check(
            False,
            str(folder),
            f"cannot read the manifest: no {MANIFEST} (is it a folder archiver export wrote?)",
        )
        return
    except (OSError, ValueError) as exc:
        yield Check(False, MANIFEST, f"cannot read the manifest: {getattr(exc, 'strerror', None) or exc}")
        return
    articles = {node["@id"]: node for node in document.get("hasPart", [])}
    for node in document.get("associatedMedia", []):
        yield _check_output(payload, node, articles)
    listed = {str(node.get("contentUrl", "")) for node in document.get("associatedMedia", [])}
    yield from _check_strays(folder, payload, listed)
    yield from _check_inputs(folder, articles)
    yield from _check_search(folder)
    if payload is not folder:
        yield from _check_bag(folder)


def _check_output(payload: Path, node: dict[str, Any], articles: dict[str, Any]) -> Check:
    name = str(node.get("contentUrl", ""))
    path = payload / name
    if not name or any(not part or part.startswith(".") or "\\" in part for part in name.split("/")):
        return Check(False, name, "not a file name inside the package")
    try:
        digest, size = sha256_output(path)
        # a folder output (the HTML site) keeps its provenance in provenance.json
        data = (path / "provenance.json").read_bytes() if path.is_dir() else path.read_bytes()
    except OSError as exc:
        return Check(False, name, f"cannot be read: {exc.strerror}")
    if size != node.get("contentSize") or digest != node.get("sha256"):
        return Check(False, name, "its bytes are not those the manifest lists (size or sha256 differ)")
    try:
        exporter = BY_MEDIA_TYPE.get(str(node.get("encodingFormat")))
        if exporter is None:
            return Check(False, name, f"not an output archiver writes ({node.get('encodingFormat')})")
        inside = sorted(_identity_of_record(record) for record in exporter.provenance(data))
    except Exception as exc:  # noqa: BLE001 - a damaged output is a failed check, whatever breaks
        return Check(False, name, f"its embedded provenance cannot be read ({type(exc).__name__}: {exc})")
    expected = sorted(
        _identity_of_node(articles[d["@id"]])
        for d in node.get("prov:wasDerivedFrom", [])
        if d.get("@id") in articles
    )
    earlier = _earlier_inputs(node, articles)
    unexplained = Counter(inside) - Counter(expected)
    if Counter(expected) - Counter(inside) or any(
        record[0] not in earlier for record in unexplained.elements()
    ):
        return Check(
            False,
            name,
            f"its embedded provenance names {len(inside)} articles that do not match "
            f"the manifest's {len(expected)}",
        )
    if unexplained:
        return Check(
            True,
            name,
            f"sha256 matches; provenance of {len(expected)} article(s) agrees, and of "
            f"{sum(unexplained.values())} earlier version(s) the manifest names",
        )
    return Check(True, name, f"sha256 matches; provenance of {len(inside)} article(s) agrees")


_BAG_TAG_FILES = re.compile(r"^(bagit\.txt|bag-info\.txt|(tag)?manifest-[a-z0-9]+\.txt|data)$")


def _check_strays(folder: Path, payload: Path, listed: set[str]) -> Iterator[Check]:
    """Every file in the package that its manifest does not list: a package is what its manifest
    says, nothing more. In a bag, the payload is the bag manifest's to list (bagit checks it, and
    a bag may carry the user's own files beside the outputs); the files beside data/ are ours."""
    if payload == folder:
        for path in sorted(folder.iterdir()):
            if path.name in {*listed, MANIFEST, STATE_FOLDER}:
                continue
            if path.is_dir() and any(
                name.startswith(f"{path.name}/") for name in listed
            ):  # warc/: files listed
                for inner in sorted(path.rglob("*")):
                    shown = inner.relative_to(folder).as_posix()
                    if inner.is_file() and shown not in listed:
                        yield Check(False, shown, "a file the manifest does not list")
                continue
            yield Check(False, path.name, "a file the manifest does not list")
        return
    for path in sorted(folder.iterdir()):
        if path.name != STATE_FOLDER and not _BAG_TAG_FILES.match(path.name):
            yield Check(False, path.name, "a file beside the bag that its tag manifest does not list")


def _earlier_inputs(node: dict[str, Any], articles: dict[str, Any]) -> set[str]:
    """The inputs (sha256) of the articles an output holds an earlier version of (a WARC of a
    package's series, written before the article was merged or captured): the article's own
    input, or one merged into it since."""
    inputs = set()
    for listed in node.get("archiver:earlierVersionOf", []):
        article = articles.get(listed.get("@id"))
        if article is not None:
            inputs.add(article["prov:wasDerivedFrom"]["sha256"])
            inputs |= {other["sha256"] for other in article.get("archiver:alsoDerivedFrom", [])}
    return inputs


def _identity_of_node(node: dict[str, Any]) -> tuple[Any, ...]:
    source = node["prov:wasDerivedFrom"]
    return (
        source["sha256"],
        source["archiver:path"],
        locator_text(
            source["archiver:mboxIndex"], source["archiver:messageId"], source.get("archiver:entryIndex")
        ),
        node["headline"],
        node["url"],
        node["datePublished"],
    )


def _identity_of_record(record: dict[str, Any]) -> tuple[Any, ...]:
    source = record["input"]
    return (
        source["sha256"],
        source["path"],
        source["locator"],
        record["title"],
        record["url"],
        record["published"],
    )


def _check_search(folder: Path) -> Iterator[Check]:
    """Whether the search index holds every article as it is now (search/store.py)."""
    if not (folder / STATE_FOLDER / INDEX).is_file():
        return
    subject = f"{STATE_FOLDER}/{SEARCH}"
    try:
        with opened(folder, thorough=True) as package:
            status = package.searchable
    except (sqlite3.Error, ArchiverError) as exc:
        yield Check(False, subject, f"cannot read it: {exc}")
        return
    if not status.present:
        yield Check(True, subject, "none (written before archiver searched, or deleted); an export builds it")
    elif status.current:
        yield Check(True, subject, "current: it holds every article as it is")
    else:
        yield Check(
            False,
            subject,
            f"out of date: {status.stale} article(s) not indexed as they are, {status.gone} no longer in"
            " the package; an export into the package brings it up to date",
        )


def _check_inputs(folder: Path, articles: dict[str, Any]) -> Iterator[Check]:
    """Inputs still where they were read (the package's index records where) are hashed again."""
    seen: set[str] = set()
    for original, location in _locations(folder / STATE_FOLDER):
        node = articles.get(f"urn:sha256:{original}")
        if not location or node is None or location in seen:
            continue
        seen.add(location)
        shown = node["prov:wasDerivedFrom"]["archiver:path"]
        try:
            digest = sha256_file(Path(location))[0]
        except OSError:
            yield Check(True, shown, "input not present here; not checked")
            continue
        if digest == node["prov:wasDerivedFrom"]["sha256"]:
            yield Check(True, shown, "input sha256 matches")
        else:
            yield Check(False, shown, f"input at {location} has changed since it was archived")


def _locations(state: Path) -> list[tuple[str, str]]:
    """(the hash of an article's stored input, where that input was read), from the index, or
    from the state file of a package an earlier archiver wrote and nothing has grown since."""
    try:
        if (state / INDEX).is_file():
            with closing(sqlite3.connect(f"{(state / INDEX).resolve().as_uri()}?mode=ro", uri=True)) as db:
                return db.execute("SELECT original, location FROM articles ORDER BY position").fetchall()
        legacy = json.loads((state / "state.json").read_text(encoding="utf-8"))
        return [(item.get("original"), item.get("location")) for item in legacy.get("articles", [])]
    except (OSError, ValueError, sqlite3.Error):
        return []


def _check_bag(folder: Path) -> Iterator[Check]:
    """bagit-python's own validation: every manifest entry present and its hash right, no payload
    file the manifest leaves out, Payload-Oxum, and file names with RFC 8493's %-escapes."""
    try:
        bag = Rfc8493Bag(str(folder))
        bag.validate()
    except bagit.BagValidationError as exc:
        problems = "; ".join(str(detail) for detail in exc.details or []) or str(exc.message)
        yield Check(False, "bag", f"not valid: {problems}")
    except bagit.BagError as exc:
        yield Check(False, "bag", f"cannot be read as a bag: {exc}")
    else:
        version = ".".join(map(str, bag.version_info))
        yield Check(
            True,
            "bag",
            f"valid BagIt {version}: {len(bag.payload_entries())} payload files match their "
            "manifest and its Payload-Oxum",
        )


class Rfc8493Bag(bagit.Bag):  # type: ignore[misc]
    """bagit-python decodes %0D and %0A in manifest paths but not %25, which RFC 8493 2.1.3 also
    asks for (its issue #157): a payload file named with a % would seem missing."""

    entries: dict[str, dict[str, str]]

    def _load_manifests(self) -> None:
        super()._load_manifests()
        self.entries = {path.replace("%25", "%"): hashes for path, hashes in self.entries.items()}
