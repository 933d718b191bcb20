"""The capture rows: the same 200 pages (each with an image) on a loopback web, captured by
archiver (`export --fetch`: WARC, and the articles read from it) and by `wget --warc-file
--page-requisites` (the WARC only), one after the other in the same run. Not offline: the web
is ours, on loopback, and a fresh network namespace would not reach it."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from common import tree_peak  # noqa: E402

from tests import browser_web  # noqa: E402
from tests.web_server import serving  # noqa: E402

Row = tuple[str, str, float, float | None, str]


def _warc_summary(warcs: list[Path]) -> str:
    """`warcio check` on each WARC, and how many response records they hold."""
    from warcio.archiveiterator import ArchiveIterator

    warcio = str(Path(sys.executable).parent / "warcio")
    valid = all(subprocess.run([warcio, "check", str(w)], capture_output=True).returncode == 0 for w in warcs)
    responses = 0
    for warc in warcs:
        with warc.open("rb") as handle:
            responses += sum(1 for r in ArchiveIterator(handle) if r.rec_type == "response")
    return f"warcio check {'passes' if valid else 'FAILS'}; {responses} responses"


def capture_rows(work: Path, pages: int = 200) -> list[Row]:
    archiver = str(Path(sys.executable).parent / "archiver")
    rows: list[Row] = []
    with serving() as web:
        listing = work / "capture-links.txt"
        listing.write_text("".join(f"{web}/article/{n}.html\n" for n in range(pages)))
        out = work / "capture-archiver"
        start = time.perf_counter()
        subprocess.run(
            [archiver, "export", str(listing), "--out", str(out), "--fetch", "--fetch-private",
             "--capture", "http", "--format", "warc", "--format", "epub", "-q"],
            check=True,
        )  # fmt: skip
        ours = time.perf_counter() - start
        note = _warc_summary(list(out.glob("*.warc.gz"))) + f"; {pages} articles read, an EPUB"
        rows.append((f"capture {pages}", "archiver export --capture http", ours, None, note))
        if shutil.which("wget") is None:
            return rows + [(f"capture {pages}", "wget (not installed)", float("nan"), None, "")]
        folder = work / "capture-wget"
        folder.mkdir()
        start = time.perf_counter()
        subprocess.run(
            ["wget", "--quiet", "--page-requisites", "--input-file", str(listing), "--warc-file",
             str(folder / "wget"), "--directory-prefix", str(folder / "files"), "-e", "robots=off"],
            check=False,
        )  # fmt: skip
        theirs = time.perf_counter() - start
        note = (
            _warc_summary(list(folder.glob("*.warc.gz")))
            + f"; archiver takes {ours / theirs:.2f}x wget's time"
        )
        rows.append((f"capture {pages}", "wget --warc-file --page-requisites", theirs, None, note))
    return rows


def browser_rows(work: Path, pages: int = 60) -> list[Row]:
    """The same loopback pages captured as sent and rendered in Chromium: pages a minute and the
    peak memory of archiver with every process it started (the browser's too); then the pages
    that need a browser (tests/browser_web.py), to say what the browser buys."""
    archiver = str(Path(sys.executable).parent / "archiver")
    rows: list[Row] = []
    with serving() as web:
        listing = work / "browser-links.txt"
        listing.write_text("".join(f"{web}/article/{n}.html\n" for n in range(pages)))
        measured = {}
        for mode in ("http", "browser"):
            out = work / f"browser-bench-{mode}"
            command = [archiver, "export", str(listing), "--out", str(out), "--fetch", "--fetch-private"]
            command += ["--capture", mode, "--format", "warc", "--format", "epub", "-q"]
            measured[mode] = tree_peak(command)
        http_seconds, http_mib = measured["http"]
        for mode, (seconds, mib) in measured.items():
            note = (
                f"{pages / seconds * 60:.0f} pages/min; {seconds / http_seconds:.2f}x http's time, "
                f"{mib / http_mib:.2f}x its memory"
            )
            rows.append((f"browser {pages}", f"archiver --capture {mode}", seconds, mib, note))
    with browser_web.serving() as web:
        for page in browser_web.PAGES:  # each its own export: its time is the page's, start included
            for mode in ("http", "browser"):
                out = work / f"browser-page-{mode}-{page.strip('/').replace('/', '-')}"
                command = [archiver, "export", web + page, "--out", str(out), "--fetch", "--fetch-private"]
                seconds, mib = tree_peak(
                    [*command, "--capture", mode, "--format", "epub", "--format", "warc", "-q"]
                )
                rows.append((f"page {page}", f"archiver --capture {mode}", seconds, mib, _what_came_out(out)))
    return rows


def _what_came_out(out: Path) -> str:
    """The article's words and images in the EPUB, and the requests made for the page."""
    import json
    import zipfile

    from lxml import html
    from warcio.archiveiterator import ArchiveIterator

    [article] = json.loads((out / "manifest.json").read_text())["hasPart"]
    capture = article.get("archiver:capture", {})
    [warc] = out.glob("*.warc.gz")
    with warc.open("rb") as handle:  # every exchange archiver made, images fetched for the article too
        requests = sum(1 for record in ArchiveIterator(handle) if record.rec_type == "request")
    [book] = out.glob("*.epub")
    with zipfile.ZipFile(book) as epub:
        chapter = html.fromstring(epub.read("EPUB/article-0001.xhtml"))
    words = len(chapter.text_content().split())
    images = len(chapter.xpath("//*[local-name()='img']"))
    warned = "; ".join(capture.get("warnings", []))[:70]
    return f"{words} words, {images} images, {requests} requests" + (f"; {warned}" if warned else "")


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        for row in [*capture_rows(Path(tmp)), *browser_rows(Path(tmp))]:
            print(row)
