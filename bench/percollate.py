"""Books of the same 40 saved pages by archiver and by percollate (a peer built on headless
Chromium), each a fresh process, offline, in the same run: the time of each, the PDFs' page
counts and both EPUBs' EPUBCheck counts; times and ratios are the medians of PERCOLLATE_ROUNDS
rounds (3). percollate comes from ../shared/peers/percollate (install.sh puts it in
/opt/percollate; PERCOLLATE names another).

Issue 18's targets: archiver's cold PDF at most 0.8x percollate's time, with the book typography;
archiver's EPUB at least 2x faster than percollate's.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
from pathlib import Path

from common import timed
from pdf_vs_chromium import pages

ROOT = Path(__file__).resolve().parent.parent
PERCOLLATE = os.environ.get("PERCOLLATE", "/opt/percollate/node_modules/.bin/percollate")
ARTICLES = 40
ROUNDS = int(os.environ.get("PERCOLLATE_ROUNDS", "3"))
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

    def percollate(kind: str, round_: int) -> tuple[float, float]:
        # In the fresh network namespace only loopback is up: Puppeteer talks to Chromium over it.
        script = 'ip link set lo up && exec "$@"'
        target = str(out / f"percollate-{round_}.{kind}")
        return timed(
            ["sh", "-c", script, "sh", PERCOLLATE, kind, "--no-sandbox", "-o", target, *map(str, files)]
        )

    def ours(kind: str, round_: int) -> tuple[float, float]:
        folder = work / f"archiver-{kind}-{round_}"  # a new package each time: nothing rendered before
        return timed([archiver, "export", *map(str, files), "--out", str(folder), "--format", kind, "-q"])

    # This machine's speed drifts by 10% and more from one minute to the next: each round runs
    # both tools back to back, and the medians of the rounds are reported.
    runs: dict[str, list[tuple[float, float]]] = {
        "their pdf": [],
        "our pdf": [],
        "their epub": [],
        "our epub": [],
    }
    for round_ in range(ROUNDS):
        runs["their pdf"].append(percollate("pdf", round_))
        runs["our pdf"].append(ours("pdf", round_))
        runs["their epub"].append(percollate("epub", round_))
        runs["our epub"].append(ours("epub", round_))

    def ratios(numerator: str, denominator: str) -> list[float]:
        return [n / d for (n, _), (d, _) in zip(runs[numerator], runs[denominator], strict=True)]

    pdf_ratios, epub_ratios = ratios("our pdf", "their pdf"), ratios("their epub", "our epub")
    medians = {
        kind: (statistics.median(t for t, _ in measured), max(mib for _, mib in measured))
        for kind, measured in runs.items()
    }
    (our_pdf, our_pdf_mib), (their_pdf, their_pdf_mib) = medians["our pdf"], medians["their pdf"]
    (our_epub, our_epub_mib), (their_epub, their_epub_mib) = medians["our epub"], medians["their epub"]
    [our_pdf_file] = (work / "archiver-pdf-0").glob("*.pdf")
    [our_epub_file] = (work / "archiver-epub-0").glob("*.epub")
    checked = epubcheck_problems(our_epub_file, out / "percollate-0.epub")

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
            f"{pages(our_pdf_file)} pages; {statistics.median(pdf_ratios):.2f}x percollate's time "
            f"(target <= 0.8x; rounds {_listed(pdf_ratios)})",
        ),
        (
            f"pdf {ARTICLES} pages",
            "percollate pdf",
            their_pdf,
            their_pdf_mib,
            f"{pages(out / 'percollate-0.pdf')} pages",
        ),
        (
            f"epub {ARTICLES} pages",
            "archiver export --format epub",
            our_epub,
            our_epub_mib,
            f"{statistics.median(epub_ratios):.2f}x faster than percollate (target >= 2x; rounds "
            f"{_listed(epub_ratios)}); {counted(our_epub_file)}",
        ),
        (
            f"epub {ARTICLES} pages",
            "percollate epub",
            their_epub,
            their_epub_mib,
            counted(out / "percollate-0.epub"),
        ),
    ]


def _listed(ratios: list[float]) -> str:
    return ", ".join(f"{ratio:.2f}" for ratio in ratios)
