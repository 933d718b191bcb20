"""Books of the same 40 saved pages by archiver and by percollate (a peer built on headless
Chromium), each a fresh process, offline, in the same run: the time of each, the PDFs' page
counts and both EPUBs' EPUBCheck counts. percollate comes from ../shared/peers/percollate
(install.sh puts it in /opt/percollate; PERCOLLATE names another).

Issue 18's targets: archiver's cold PDF at most 0.8x percollate's time, with the book typography;
archiver's EPUB at least 2x faster than percollate's.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from common import timed
from pdf_vs_chromium import pages

ROOT = Path(__file__).resolve().parent.parent
PERCOLLATE = os.environ.get("PERCOLLATE", "/opt/percollate/node_modules/.bin/percollate")
ARTICLES = 40
Row = tuple[str, str, float, float | None, str]


def percollate_rows(pages_: list[Path], work: Path) -> list[Row]:
    if not Path(PERCOLLATE).is_file() or not shutil.which("chromium"):
        print(
            f"percollate rows skipped: no {PERCOLLATE} (../shared/peers/percollate/install.sh)",
            file=sys.stderr,
        )
        return []
    sys.path.insert(0, str(ROOT))
    from tests.validators import epubcheck_problems

    given = work / "percollate-in"
    given.mkdir()
    files = []
    for number, page in enumerate(pages_[:ARTICLES], 1):
        files.append(given / f"{number:02d}.html")
        shutil.copyfile(page, files[-1])
    os.environ.setdefault("PUPPETEER_EXECUTABLE_PATH", "/usr/bin/chromium")
    os.environ["PUPPETEER_SKIP_DOWNLOAD"] = "1"
    archiver = str(Path(sys.executable).parent / "archiver")
    out = work / "percollate-out"
    out.mkdir()

    def percollate(kind: str) -> tuple[float, float]:
        # In the fresh network namespace only loopback is up: Puppeteer talks to Chromium over it.
        script = 'ip link set lo up && exec "$@"'
        target = str(out / f"percollate.{kind}")
        return timed(
            ["sh", "-c", script, "sh", PERCOLLATE, kind, "--no-sandbox", "-o", target, *map(str, files)]
        )

    def ours(kind: str) -> tuple[float, float]:
        folder = work / f"archiver-{kind}"  # a new package each time: nothing rendered before
        return timed([archiver, "export", *map(str, files), "--out", str(folder), "--format", kind, "-q"])

    their_pdf, their_pdf_mib = percollate("pdf")
    our_pdf, our_pdf_mib = ours("pdf")
    their_epub, their_epub_mib = percollate("epub")
    our_epub, our_epub_mib = ours("epub")
    [our_pdf_file] = (work / "archiver-pdf").glob("*.pdf")
    [our_epub_file] = (work / "archiver-epub").glob("*.epub")
    checked = epubcheck_problems(our_epub_file, out / "percollate.epub")

    def counted(book: Path) -> str:
        found = checked[str(book)]
        errors = sum(line.startswith(("FATAL", "ERROR")) for line in found)
        warnings = sum(line.startswith("WARNING") for line in found)
        return f"EPUBCheck {errors} errors, {warnings} warnings"

    return [
        (
            f"pdf {ARTICLES} pages",
            "archiver export --format pdf (cold)",
            our_pdf,
            our_pdf_mib,
            f"{pages(our_pdf_file)} pages; {our_pdf / their_pdf:.2f}x percollate's time (target <= 0.8x)",
        ),
        (
            f"pdf {ARTICLES} pages",
            "percollate pdf",
            their_pdf,
            their_pdf_mib,
            f"{pages(out / 'percollate.pdf')} pages",
        ),
        (
            f"epub {ARTICLES} pages",
            "archiver export --format epub",
            our_epub,
            our_epub_mib,
            f"{their_epub / our_epub:.2f}x faster than percollate (target >= 2x); {counted(our_epub_file)}",
        ),
        (
            f"epub {ARTICLES} pages",
            "percollate epub",
            their_epub,
            their_epub_mib,
            counted(out / "percollate.epub"),
        ),
    ]
