"""WACZ 1.1.1: the WARC with its CDXJ index, a page list and a datapackage, for replay in pywb or
ReplayWeb.page. Written here rather than by `wacz create`, which finds no pages in a WARC of
resource records and stamps the current time: this one lists every article and is reproducible.
"""

from __future__ import annotations

import hashlib
import heapq
import io
import json
import shutil
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cdxj_indexer.main import write_cdx_index

from ...atomic import atomic_path
from ...book.collection import build_time
from ...hashing import sha256_file
from ...model import Article
from ..base import ExportOptions, Report
from ..warc.records import Page, write_records

WARC_NAME = "data.warc.gz"


@dataclass(frozen=True)
class Packed:
    """One WARC a WACZ holds, with what the WACZ says of it: its CDXJ lines (sorted) and its
    pages' lines. A package keeps these beside each WARC of its series, so that a WACZ of every
    WARC merges them rather than reading every WARC again."""

    name: str  # under archive/
    path: Path
    index: bytes
    pages: bytes


def write(articles: Sequence[Article], dest: Path, options: ExportOptions) -> Report:
    with tempfile.TemporaryDirectory(dir=dest.parent, prefix=".archiver-wacz-") as scratch:
        warc_path = Path(scratch) / WARC_NAME
        with warc_path.open("wb") as handle:
            pages = write_records(articles, handle, options, WARC_NAME)
        packed = Packed(WARC_NAME, warc_path, index_warc(warc_path, WARC_NAME), pages_lines(pages))
        pack(dest, [packed], options.title or "Saved articles", build_time(articles), len(articles))
    return Report()


def index_warc(path: Path, name: str) -> bytes:
    """The WARC's CDXJ lines, sorted, each naming the WARC as `name`."""
    index = io.StringIO()
    write_cdx_index(index, [str(path)], {"sort": True, "filename": name})
    return index.getvalue().encode("utf-8")


def pages_lines(pages: Sequence[Page]) -> bytes:
    lines = []
    for page in pages:
        ts = page.ts.strftime("%Y-%m-%dT%H:%M:%SZ")
        page_id = hashlib.sha256(f"{page.url} {ts}".encode()).hexdigest()[:32]
        lines.append({"id": page_id, "url": page.url, "ts": ts, "title": page.title or page.url})
    return "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines).encode("utf-8")


def pack(dest: Path, warcs: Sequence[Packed], title: str, when: datetime, articles: int) -> None:
    """The WACZ of these WARCs, streamed: their indexes merged in order, their bytes copied."""
    header = json.dumps({"format": "json-pages-1.0", "id": "pages", "title": "All Pages"}) + "\n"
    merged = heapq.merge(*(w.index.splitlines(keepends=True) for w in warcs))
    files = {
        "pages/pages.jsonl": header.encode("utf-8") + b"".join(w.pages for w in warcs),
        # CDXJ lines under the name the WACZ tools write and read (py-wacz; pywb's unpacking
        # takes only .cdx and .cdx.gz)
        "indexes/index.cdx": b"".join(merged),
    }
    created = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    package = _datapackage(files, warcs, title, articles, created)
    stamp = when.timetuple()[:6]
    with atomic_path(dest) as temporary, zipfile.ZipFile(temporary, "w", zipfile.ZIP_STORED) as archive:
        for warc in warcs:
            entry = zipfile.ZipInfo(f"archive/{warc.name}", date_time=stamp)
            entry.external_attr = 0o644 << 16
            with warc.path.open("rb") as source, archive.open(entry, "w") as target:
                shutil.copyfileobj(source, target, 1 << 20)
        for name, data in [
            *files.items(),
            ("datapackage.json", package),
            ("datapackage-digest.json", _digest_file(package)),
        ]:
            entry = zipfile.ZipInfo(name, date_time=stamp)
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, data)


def _sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _datapackage(
    files: dict[str, bytes], warcs: Sequence[Packed], title: str, articles: int, created: str
) -> bytes:
    from ... import __version__

    resources = [
        {
            "name": warc.name,
            "path": f"archive/{warc.name}",
            "hash": f"sha256:{sha256_file(warc.path)[0]}",
            "bytes": warc.path.stat().st_size,
        }
        for warc in warcs
    ]
    resources += [
        {"name": Path(path).name, "path": path, "hash": _sha256(data), "bytes": len(data)}
        for path, data in files.items()
    ]
    package = {
        "profile": "data-package",
        "wacz_version": "1.1.1",
        "title": title,
        "description": f"{articles} saved articles (not live captures), archived by archiver {__version__}",
        "created": created,
        "modified": created,
        "software": f"archiver {__version__}",
        "resources": resources,
    }
    return (json.dumps(package, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _digest_file(package: bytes) -> bytes:
    return (json.dumps({"path": "datapackage.json", "hash": _sha256(package)}, indent=2) + "\n").encode(
        "utf-8"
    )
