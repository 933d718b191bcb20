"""`archiver verify`: does a package still hold what its manifest says? Every output is hashed
again, the provenance inside each output is compared with the manifest, and every input still
where it was read is hashed again."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .commit import JOURNAL, finish
from .hashing import sha256_file
from .manifest import NAME as MANIFEST
from .manifest import locator_parts
from .package import STATE_FOLDER

PROVENANCE_CHECKED = ("application/epub+zip", "application/pdf", "application/warc", "application/wacz+zip")


@dataclass(frozen=True)
class Check:
    ok: bool
    subject: str  # the file
    detail: str


def verify(folder: Path) -> Iterator[Check]:
    state = folder / STATE_FOLDER
    if state.is_dir() and finish(folder, state):
        yield Check(True, f"{STATE_FOLDER}/{JOURNAL}", "finished an export stopped after its commit point")
    payload = folder / "data" if (folder / "bagit.txt").is_file() else folder
    try:
        document = json.loads((payload / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        yield Check(False, str(folder), f"cannot read the manifest: no {MANIFEST} (is it a folder archiver export wrote?)")
        return
    except (OSError, ValueError) as exc:
        yield Check(False, MANIFEST, f"cannot read the manifest: {getattr(exc, 'strerror', None) or exc}")
        return
    articles = {node["@id"]: node for node in document.get("hasPart", [])}
    for node in document.get("associatedMedia", []):
        yield _check_output(payload, node, articles)
    yield from _check_inputs(folder, articles)
    if payload is not folder:
        yield from _check_bag(folder)


def _check_output(payload: Path, node: dict[str, Any], articles: dict[str, Any]) -> Check:
    name = str(node.get("contentUrl", ""))
    path = payload / name
    if not name or "/" in name or name.startswith("."):
        return Check(False, name, "not a file name inside the package")
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Check(False, name, f"cannot be read: {exc.strerror}")
    if len(data) != node.get("contentSize") or hashlib.sha256(data).hexdigest() != node.get("sha256"):
        return Check(False, name, "its bytes are not those the manifest lists (size or sha256 differ)")
    try:
        inside = sorted(_embedded(data, node.get("encodingFormat", "")))
    except Exception as exc:  # noqa: BLE001 - a damaged output is a failed check, whatever breaks
        return Check(False, name, f"its embedded provenance cannot be read ({type(exc).__name__}: {exc})")
    expected = sorted(_identity_of_node(articles[d["@id"]]) for d in node.get("prov:wasDerivedFrom", [])
                      if d.get("@id") in articles)
    if inside != expected:
        return Check(False, name, f"its embedded provenance names {len(inside)} articles that do not match "
                                  f"the manifest's {len(expected)}")
    return Check(True, name, f"sha256 matches; provenance of {len(inside)} article(s) agrees")


def _identity_of_node(node: dict[str, Any]) -> tuple[Any, ...]:
    source = node["prov:wasDerivedFrom"]
    return (source["sha256"], source["archiver:path"], source["archiver:messageId"], source["archiver:mboxIndex"],
            node["headline"], node["url"], node["datePublished"])


def _identity_of_record(record: dict[str, Any]) -> tuple[Any, ...]:
    source = record["input"]
    return (source["sha256"], source["path"], *locator_parts(source["locator"]), record["title"], record["url"],
            record["published"])


def _embedded(data: bytes, media_type: str) -> Iterator[tuple[Any, ...]]:
    """The provenance records an output carries about its articles."""
    if media_type == "application/epub+zip":
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            name = next(n for n in book.namelist() if n.endswith("/provenance.json") or n == "provenance.json")
            records = json.loads(book.read(name))["articles"]
    elif media_type == "application/pdf":
        import pikepdf

        with pikepdf.open(io.BytesIO(data)) as pdf:
            records = json.loads(pdf.attachments["provenance.json"].get_file().read_bytes())["articles"]
    elif media_type == "application/wacz+zip":
        with zipfile.ZipFile(io.BytesIO(data)) as wacz:
            name = next(n for n in wacz.namelist() if n.startswith("archive/") and n.endswith(".warc.gz"))
            yield from _embedded(wacz.read(name), "application/warc")
            return
    else:
        from warcio.archiveiterator import ArchiveIterator

        records = [json.loads(record.content_stream().read()) for record in ArchiveIterator(io.BytesIO(data))
                   if record.rec_type == "metadata"]
    for record in records:
        yield _identity_of_record(record)


def _check_inputs(folder: Path, articles: dict[str, Any]) -> Iterator[Check]:
    """Inputs still where they were read (the package's state records where) are hashed again."""
    try:
        state = json.loads((folder / STATE_FOLDER / "state.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    seen: set[str] = set()
    for item in state.get("articles", []):
        location = item.get("location")
        node = articles.get(f"urn:sha256:{item.get('original')}")
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


def _check_bag(folder: Path) -> Iterator[Check]:
    for name in ("manifest-sha256.txt", "tagmanifest-sha256.txt"):
        try:
            lines = (folder / name).read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            yield Check(False, name, f"cannot be read: {exc.strerror}")
            continue
        bad = [path for digest, _, path in (line.partition("  ") for line in lines if line)
               if not (folder / path).is_file() or sha256_file(folder / path)[0] != digest]
        yield Check(not bad, name, f"{len(lines)} entries match" if not bad else f"these differ: {', '.join(bad)}")
