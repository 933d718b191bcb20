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
             "--format", "warc", "--format", "epub", "-q"],
            check=True,
        )  # fmt: skip
        ours = time.perf_counter() - start
        note = _warc_summary(list(out.glob("*.warc.gz"))) + f"; {pages} articles read, an EPUB"
        rows.append((f"capture {pages}", "archiver export --fetch", ours, None, note))
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


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        for row in capture_rows(Path(tmp)):
            print(row)
