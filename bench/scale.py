"""A reading life in one package: N articles exported (a wallabag export of N entries, each with
its text, every format but the PDF), then one saved page added to that package. What adding costs
must follow what is added, not what the package holds. The PDF row adds one page to the package of
the smallest N with the PDF too, from its cache."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from common import tree_peak
from exports import wallabag_json

Row = tuple[str, str, float, float | None, str]
FORMATS = ["--format", "epub", "--format", "warc", "--format", "wacz", "--format", "html"]


def scale_rows(archiver: str, exports: Path, corpus: Path, work: Path, sizes: list[int]) -> list[Row]:
    added = sorted((corpus / "readability").glob("*/source.html"))[:2]
    rows: list[Row] = []
    for size in sizes:
        export = work / f"wallabag-{size}.json"
        wallabag_json(exports, export, size)
        out = work / f"package-{size}"
        shutil.rmtree(out, ignore_errors=True)
        seconds, mib = tree_peak([archiver, "export", str(export), "--out", str(out), *FORMATS, "-q"])
        rows.append((f"scale-{size}", f"export {size:,} articles", seconds, mib, _sizes(out)))
        seconds, mib = tree_peak([archiver, "export", str(added[0]), "--out", str(out), *FORMATS, "-q"])
        rows.append((f"scale-{size}", "then add one saved page", seconds, mib, ""))
        export.unlink()
    if sizes:
        out = work / f"package-{sizes[0]}"
        pdf = [*FORMATS, "--format", "pdf"]
        first, _ = tree_peak([archiver, "export", "--out", str(out), *pdf, "-q"])
        seconds, mib = tree_peak([archiver, "export", str(added[1]), "--out", str(out), *pdf, "-q"])
        note = f"the PDF of {sizes[0]:,} articles rendered first: {first:.0f} s"
        rows.append((f"scale-{sizes[0]}", "add one page, PDF too (cache)", seconds, mib, note))
    return rows


def _sizes(out: Path) -> str:
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    warcs = [m for m in manifest["associatedMedia"] if m["contentUrl"].startswith("warc/")]
    books = [m for m in manifest["associatedMedia"] if m["contentUrl"].endswith(".epub")]
    megabytes = sum(m["contentSize"] for m in manifest["associatedMedia"]) / 1e6
    return f"{len(books)} EPUB volume(s), {len(warcs)} WARC(s), {megabytes:,.0f} MB of outputs"
