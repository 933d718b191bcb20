"""WACZ 1.1.1: the WARC with its CDXJ index, a page list and a datapackage, for replay in pywb or
ReplayWeb.page. Written here rather than by `wacz create`, which finds no pages in a WARC of
resource records and stamps the current time: this one lists every article and is reproducible.
"""

from __future__ import annotations

import hashlib
import io
import json
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path

from cdxj_indexer.main import write_cdx_index

from ...atomic import atomic_path
from ...book.collection import build_time
from ...model import Article
from ..base import ExportOptions, Report
from ..warc.records import Page, write_records

WARC_NAME = "data.warc.gz"


def write(articles: Sequence[Article], dest: Path, options: ExportOptions) -> Report:
    when = build_time(articles)
    with tempfile.TemporaryDirectory(dir=dest.parent, prefix=".archiver-wacz-") as scratch:
        warc_path = Path(scratch) / WARC_NAME
        with warc_path.open("wb") as handle:
            pages = write_records(articles, handle, options, WARC_NAME)
        index = io.StringIO()
        write_cdx_index(index, [str(warc_path)], {"sort": True, "filename": WARC_NAME})
        files = {
            "pages/pages.jsonl": _pages_jsonl(pages),
            # CDXJ lines under the name the WACZ tools write and read (py-wacz; pywb's unpacking
            # takes only .cdx and .cdx.gz)
            "indexes/index.cdx": index.getvalue().encode("utf-8"),
        }
        package = _datapackage(files, warc_path, options, articles, when.strftime("%Y-%m-%dT%H:%M:%SZ"))
        stamp = when.timetuple()[:6]
        with atomic_path(dest) as temporary, zipfile.ZipFile(temporary, "w", zipfile.ZIP_STORED) as archive:
            entry = zipfile.ZipInfo(f"archive/{WARC_NAME}", date_time=stamp)
            entry.external_attr = 0o644 << 16
            with warc_path.open("rb") as source, archive.open(entry, "w") as target:
                for block in iter(lambda: source.read(1 << 20), b""):
                    target.write(block)
            for name, data in [
                *files.items(),
                ("datapackage.json", package),
                ("datapackage-digest.json", _digest_file(package)),
            ]:
                entry = zipfile.ZipInfo(name, date_time=stamp)
                entry.external_attr = 0o644 << 16
                archive.writestr(entry, data)
    return Report()


def _pages_jsonl(pages: Sequence[Page]) -> bytes:
    lines = [{"format": "json-pages-1.0", "id": "pages", "title": "All Pages"}]
    for page in pages:
        ts = page.ts.strftime("%Y-%m-%dT%H:%M:%SZ")
        page_id = hashlib.sha256(f"{page.url} {ts}".encode()).hexdigest()[:32]
        lines.append({"id": page_id, "url": page.url, "ts": ts, "title": page.title or page.url})
    return "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines).encode("utf-8")


def _sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _datapackage(
    files: dict[str, bytes],
    warc_path: Path,
    options: ExportOptions,
    articles: Sequence[Article],
    created: str,
) -> bytes:
    from ... import __version__

    digest = hashlib.sha256()
    with warc_path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    resources = [
        {
            "name": WARC_NAME,
            "path": f"archive/{WARC_NAME}",
            "hash": f"sha256:{digest.hexdigest()}",
            "bytes": warc_path.stat().st_size,
        }
    ]
    resources += [
        {"name": Path(path).name, "path": path, "hash": _sha256(data), "bytes": len(data)}
        for path, data in files.items()
    ]
    package = {
        "profile": "data-package",
        "wacz_version": "1.1.1",
        "title": options.title or "Saved articles",
        "description": f"{len(articles)} saved articles (not live captures), "
        f"archived by archiver {__version__}",
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
