#!/usr/bin/env python3
"""PDF time: archiver (WeasyPrint) against headless Chromium printing the same document, in one run.

usage: python bench/pdf_vs_chromium.py [CORPUS_DIR] [--articles N (0: all)] [--repeat N] [--jobs N]

Both print the same articles: Chromium prints archiver's collection document (title page,
contents, every article) with its images in a folder beside it (--print-to-pdf); archiver runs
its PDF exporter (PDF/A-3b, bookmarks, attachment), reading the inputs included, twice:
cold (nothing cached), and as a rebuild after adding the last article to a collection already
built (its other articles' renderings cached). Both run with no network (`unshare --net`,
needs root); Chromium also with the flags that keep it from calling home. Needs
`apt-get install chromium poppler-utils`.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import best_time, offline

from archiver.book.collection import build_time
from archiver.exporters import ExportOptions
from archiver.exporters.pdf import book as pdf
from archiver.exporters.styles import builtin_style
from archiver.images.collect import collect_images
from archiver.model import Article
from archiver.readers import read_inputs

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-pdf-header-footer",
]


# archiver as a fresh process, as a user runs it: read the articles, write the collection PDF.
ARCHIVER_RUN = (
    "import sys; sys.path.insert(0, sys.argv[1]); from pathlib import Path;"
    "from archiver.readers import read_inputs; from archiver.model import Article;"
    "from archiver.exporters import ExportOptions; from archiver.exporters.pdf import book as pdf;"
    "from archiver.runtime.runner import opened; from itertools import islice;"
    "a = list(islice((x for x in read_inputs([sys.argv[2]]) if isinstance(x, Article)), int(sys.argv[3])));"
    "runner = opened(int(sys.argv[5])).__enter__();"  # its fork server ends with this process
    "pdf.write(a, Path(sys.argv[4]), ExportOptions(title='bench', runner=runner,"
    " render_cache=Path(sys.argv[6]) if sys.argv[6] else None))"
)


def chromium_document(articles: list[Article], folder: Path) -> Path:
    """archiver's collection HTML with the print stylesheet inline and the images beside it, as
    Chromium is given it to print: folder/doc.html."""
    images, _ = collect_images(articles)
    for image in images.values():
        (folder / image.href).parent.mkdir(parents=True, exist_ok=True)
        (folder / image.href).write_bytes(image.data)
    html = pdf.document_html(articles, ExportOptions(title="bench"), images, build_time(articles))
    css = builtin_style("print.css").decode("utf-8")
    document = folder / "doc.html"
    document.write_text(html.replace("</head>", f"<style>{css}</style></head>", 1), encoding="utf-8")
    return document


def pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpus", nargs="?", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--jobs", type=int, default=0, help="archiver's worker processes (0: every core)")
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("needs chromium (apt-get install chromium)", file=sys.stderr)
        return 2
    articles = [a for a in read_inputs([str(args.corpus)]) if isinstance(a, Article)][: args.articles or None]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        chromium_document(articles, folder)

        def archiver(count: int, cache: str) -> list[str]:
            return [
                sys.executable,
                "-c",
                ARCHIVER_RUN,
                str(ROOT),
                str(args.corpus),
                str(count),
                str(folder / "archiver.pdf"),
                str(args.jobs),
                cache,
            ]

        cold = best_time(archiver(len(articles), ""), args.repeat)
        rebuilds = []
        for run in range(args.repeat):  # each time: the collection without its last article, then with it
            cache = folder / f"cache-{run}"
            subprocess.run(offline(archiver(len(articles) - 1, str(cache))), check=True, capture_output=True)
            start = time.perf_counter()
            subprocess.run(offline(archiver(len(articles), str(cache))), check=True, capture_output=True)
            rebuilds.append(time.perf_counter() - start)
        rebuild = min(rebuilds)
        theirs = best_time(
            [
                chromium,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={folder / 'profile'}",
                f"--print-to-pdf={folder / 'chromium.pdf'}",
                (folder / "doc.html").as_uri(),
            ],
            args.repeat,
        )
        print(
            f"{len(articles)} articles, best of {args.repeat} runs "
            "(archiver's time includes reading the inputs)"
        )
        print(f"{'tool':<28} {'seconds':>8} {'pages':>6} {'vs chromium':>12}")
        for name, seconds in (
            ("archiver, cold", cold),
            ("archiver, one article added", rebuild),
            ("chromium", theirs),
        ):
            pdf = folder / ("chromium.pdf" if name == "chromium" else "archiver.pdf")
            print(f"{name:<28} {seconds:>8.2f} {pages(pdf):>6} {seconds / theirs:>11.2f}x")
        print(f"rebuild after adding one article: {cold / rebuild:.1f}x faster than cold (target: 10x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
