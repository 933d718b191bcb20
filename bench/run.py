#!/usr/bin/env python3
"""Every benchmark in one run: archiver beside the tools people use today, on the same inputs,
on this machine, now. Prints one table of times, ratios and peak memory.

usage: python bench/run.py [CORPUS_DIR] [--messages 1000,10000] [--skip pdf,memory,...]

Workloads, built from ../shared/corpus into a temporary folder:
  pages    the corpus's saved HTML pages (not Readability's expected.html)
  corpus   the whole corpus (HTML, mail, mbox, MHTML)
  mailbox  mboxes of N messages made from the corpus's mail cases, each copy varied (Message-ID,
           subject, one sentence) so that none is a duplicate
Rows:
  read     archiver's reading (one process, then --jobs 2) against trafilatura's bare_extraction
           of the same pages in the same process: articles per second per core
  epub     `archiver export pages --format epub` against pandoc (html -> epub3)
  pdf      `archiver export corpus --format pdf` cold, a rebuild after adding one article to the
           package, and --jobs 1; against headless Chromium printing archiver's collection HTML;
           and one PDF per saved page (--per-article), --jobs 2 against --jobs 1
  warc     archiver's WARC writer against gzip (zlib level 6) of the same uncompressed bytes
  memory   peak resident memory of `archiver export mailbox` (every format) at each size
  exports  `archiver inspect --json` of a Pocket CSV (10,000 and 100,000 links) and a wallabag
           export (1,000 and 10,000 articles with their text), made from ../shared/exports: peak
           memory must not grow with the export; beside Python's json.load / csv reading of the
           same file whole, the floor of any reader that holds the export in memory
  capture  200 pages with an image each on a loopback web: `archiver export --fetch` (WARC, articles,
           EPUB) against `wget --warc-file --page-requisites` (WARC only); not offline (the web is
           on loopback)
  browser  60 loopback pages (each with an image) captured with --capture http and --capture
           browser: pages a minute, and the peak memory of archiver with every process it started,
           Chromium's included; then each page of tests/browser_web.py, one export each, both ways:
           words, images and requests of its article, and its time
  drivers  Playwright's routes against Selenium's WebDriver BiDi interception, each driving
           Debian's Chromium: start, then 20 pages with every request answered from Python
           (bench/drivers.py)
  behaviors  the twelve lazy images of tests/browser_web.py's gallery: archiver's scroll steps
           against Browsertrix's autoscroll behaviour (npm pack browsertrix-behaviors, AGPL-3.0,
           fetched at run time): time and images loaded (bench/behaviors.py)
  start    `archiver --help` (median of 5 runs) beside importing typer alone, the floor of any
           typer command; and 40 of the pages to EPUB, small enough to read in one process
  percollate  40 of the pages to a PDF and to an EPUB by archiver and by percollate (headless
           Chromium): times, page counts, EPUBCheck counts (bench/percollate.py)
  scale    a package of N articles (1,000 and 10,000; --scale 100000 runs outside CI in about 15
           minutes) exported, then one saved page added: time and peak memory of both, archiver and
           its workers (bench/scale.py); and one page added with the PDF too, from its cache
  search   a package of N articles (10,000; --search 100000 runs outside CI) made by the scale
           bench's generator: `archiver search` in and out of its process, one page added and
           the search index's part of that, and, for the site, its search in headless Chromium
           (first results, index size, a screenshot); MiniSearch and lunr on the same articles'
           text beside it (bench/search.py)
  cluster  the mailboxes exported on a Dask LocalCluster of 2 workers against --jobs 2: time and
           the coordinator's peak memory; the corpus's PDF on it, with and without --store
           (bench/cluster.py)
Tools run offline (`unshare --net`, needs root). Needs pandoc, chromium, /usr/bin/time.
"""

from __future__ import annotations

import argparse
import email
import io
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zlib
from email import policy
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from behaviors import behavior_rows
from capture import browser_rows, capture_rows
from cluster import cluster_rows
from common import offline, timed
from drivers import driver_rows
from exports import pocket_csv, wallabag_json
from pdf_vs_chromium import CHROMIUM_FLAGS, chromium_document, pages
from percollate import percollate_rows
from scale import scale_rows
from search import search_rows

from archiver.exporters import ExportOptions
from archiver.exporters.warc import records as warc
from archiver.model import Article
from archiver.readers import expand, read_inputs
from archiver.readers.mbox import split_messages

ARCHIVER = str(Path(sys.executable).parent / "archiver")
Row = tuple[str, str, float, float | None, str]  # workload, tool, seconds, peak MiB, note


# -- workloads ----------------------------------------------------------------------------------


def saved_pages(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.rglob("*.html") if p.name != "expected.html")


def mail_templates(corpus: Path) -> list[email.message.EmailMessage]:
    raw = [p.read_bytes() for p in sorted(corpus.rglob("*.eml"))]
    for box in sorted(corpus.rglob("*.mbox")):
        with box.open("rb") as handle:
            raw += [data for _, _, data in split_messages(handle)]
    templates = []
    for data in raw:
        message = email.message_from_bytes(data, policy=policy.default)
        try:
            message.as_bytes(policy=policy.SMTP)
        except Exception as exc:  # noqa: BLE001 - a template email cannot write back is left out
            print(f"mail template left out: {type(exc).__name__}", file=sys.stderr)
        else:
            templates.append(message)
    return templates


def mailbox(path: Path, templates: list[email.message.EmailMessage], count: int) -> None:
    """`count` messages, template after template, each copy with its own Message-ID, subject
    and one added sentence in its text: the same text twice would be skipped as a duplicate."""
    with path.open("wb") as handle:
        for number in range(count):
            message = email.message_from_bytes(
                templates[number % len(templates)].as_bytes(policy=policy.SMTP), policy=policy.default
            )
            del message["Message-ID"]
            message["Message-ID"] = f"<bench-{number}@archiver.invalid>"
            subject = str(message.get("Subject", "Saved article"))
            del message["Subject"]
            message["Subject"] = f"{subject} (copy {number})"
            for part in message.walk():
                if part.get_content_type() in ("text/plain", "text/html") and not part.is_attachment():
                    try:
                        text = part.get_content()
                    except (LookupError, ValueError):
                        continue
                    added = (
                        f"\n<p>Copy {number} of the benchmark mailbox.</p>\n"
                        if part.get_content_subtype() == "html"
                        else f"\nCopy {number} of the benchmark mailbox.\n"
                    )
                    part.set_content(text + added, subtype=part.get_content_subtype(), charset="utf-8")
                    break
            data = message.as_bytes(policy=policy.SMTP).replace(b"\r\n", b"\n")
            handle.write(
                b"From bench@archiver.invalid Tue Apr  2 10:00:00 2024\n"
                + re.sub(rb"(?m)^(>*From )", rb">\1", data)
                + b"\n"
            )


# -- rows ---------------------------------------------------------------------------------------


def reading(pages_: list[Path], repeat: int = 3) -> list[Row]:
    """Both warmed up on one page first (imports, lazy tables), then the best of `repeat` runs,
    taken in turn so that a noisy moment on the machine does not favour either."""
    import trafilatura

    def ours(jobs: int) -> int:
        return sum(isinstance(a, Article) for a in read_inputs([str(p) for p in pages_], jobs=jobs))

    def theirs() -> int:
        return sum(
            trafilatura.bare_extraction(p.read_text(encoding="utf-8", errors="replace"), with_metadata=True)
            is not None
            for p in pages_
        )

    read_inputs([str(pages_[0])]), trafilatura.bare_extraction(pages_[0].read_text(errors="replace"))
    best = {"one": float("inf"), "two": float("inf"), "trafilatura": float("inf")}
    counts = {}
    for _ in range(repeat):
        for name, run in (("one", lambda: ours(1)), ("two", lambda: ours(2)), ("trafilatura", theirs)):
            start = time.perf_counter()
            counts[name] = run()
            best[name] = min(best[name], time.perf_counter() - start)
    n = len(pages_)
    return [
        (
            "read pages",
            "archiver, 1 process",
            best["one"],
            None,
            f"{n / best['one']:.1f} articles/s/core ({counts['one']} articles)",
        ),
        (
            "read pages",
            "archiver, --jobs 2",
            best["two"],
            None,
            f"{n / best['two'] / 2:.1f} articles/s/core; {best['one'] / best['two']:.2f}x one process",
        ),
        (
            "read pages",
            "trafilatura bare_extraction",
            best["trafilatura"],
            None,
            (
                f"{n / best['trafilatura']:.1f} articles/s/core ({counts['trafilatura']} extracted); "
                f"archiver 1 process: {best['trafilatura'] / best['one']:.2f}x its speed"
            ),
        ),
    ]


def epub_rows(pages_: list[Path], work: Path) -> list[Row]:
    """40 of the pages, then all of them, to one EPUB: archiver against pandoc, the same run."""
    rows: list[Row] = []
    for chosen in (pages_[:40], pages_):
        label = f"epub {len(chosen)} pages"
        out = work / f"epub-{len(chosen)}"
        shutil.rmtree(out, ignore_errors=True)
        ours, ours_mib = timed(
            [
                ARCHIVER,
                "export",
                *map(str, chosen),
                "--out",
                str(out),
                "--format",
                "epub",
                "--title",
                "bench",
                "--quiet",
            ]
        )
        pandoc = ["pandoc", "-f", "html", "-t", "epub3", "--metadata", "title=bench"]
        theirs, theirs_mib = timed([*pandoc, "-o", str(work / "pandoc.epub"), *map(str, chosen)])
        note = f"archiver/pandoc = {ours / theirs:.2f}x"
        rows += [
            (label, "archiver export --format epub", ours, ours_mib, note),
            (label, "pandoc", theirs, theirs_mib, ""),
        ]
    return rows


def start_rows(pages_: list[Path], work: Path) -> list[Row]:
    def median_of_5(command: list[str]) -> float:
        return sorted(timed(command)[0] for _ in range(5))[2]

    helps = median_of_5([ARCHIVER, "--help"])
    typer_only = median_of_5([sys.executable, "-c", "import typer"])
    small, small_mib = timed(
        [
            ARCHIVER,
            "export",
            *map(str, pages_[:40]),
            "--out",
            str(work / "small"),
            "--format",
            "epub",
            "--quiet",
        ]
    )
    return [
        (
            "start",
            "archiver --help",
            helps,
            None,
            f"target < 0.2 s; {helps - typer_only:.2f} s over typer's import",
        ),
        ("start", "python -c 'import typer'", typer_only, None, ""),
        ("start", "40 pages to EPUB", small, small_mib, "read in one process: no worker pool to start"),
    ]


def pdf_rows(corpus: Path, work: Path) -> list[Row]:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    files = [shown for _, shown in expand(str(corpus))]
    cold, cold_mib = timed(
        [ARCHIVER, "export", str(corpus), "--out", str(work / "pdf-cold"), "--format", "pdf", "-q"]
    )
    one_job, _ = timed(
        [
            ARCHIVER,
            "export",
            str(corpus),
            "--out",
            str(work / "pdf-one"),
            "--format",
            "pdf",
            "-q",
            "--jobs",
            "1",
        ]
    )
    # a package of every input but one, then that one added to it
    subprocess.run(
        offline([ARCHIVER, "export", *files[:-1], "--out", str(work / "pdf-inc"), "--format", "pdf", "-q"]),
        check=False,
        capture_output=True,
    )
    rebuild, _ = timed(
        [ARCHIVER, "export", files[-1], "--out", str(work / "pdf-inc"), "--format", "pdf", "-q"]
    )
    [book] = (work / "pdf-cold").glob("*.pdf")
    rows: list[Row] = [
        ("pdf corpus", "archiver, cold (--jobs 2)", cold, cold_mib, f"{pages(book)} pages"),
        ("pdf corpus", "archiver, cold, --jobs 1", one_job, None, f"--jobs 2 is {one_job / cold:.2f}x"),
        (
            "pdf corpus",
            "archiver, one article added",
            rebuild,
            None,
            f"{cold / rebuild:.1f}x faster than cold (target 10x)",
        ),
    ]
    each = [str(page) for page in saved_pages(corpus)]  # one PDF per article: rendered on every core
    split, _ = timed(
        [
            ARCHIVER,
            "export",
            *each,
            "--out",
            str(work / "pdf-each"),
            "--format",
            "pdf",
            "--per-article",
            "--no-cache",
            "-q",
        ]
    )
    split_one, _ = timed(
        [
            ARCHIVER,
            "export",
            *each,
            "--out",
            str(work / "pdf-each-1"),
            "--format",
            "pdf",
            "--per-article",
            "--no-cache",
            "-q",
            "--jobs",
            "1",
        ]
    )
    rows += [
        ("pdf pages", "archiver --per-article (--jobs 2)", split, None, f"{len(each)} PDFs"),
        (
            "pdf pages",
            "archiver --per-article, --jobs 1",
            split_one,
            None,
            f"--jobs 2 is {split_one / split:.2f}x",
        ),
    ]
    if chromium:
        articles = [a for a in read_inputs([str(corpus)], jobs=2) if isinstance(a, Article)]
        folder = work / "chromium"
        folder.mkdir()
        document = chromium_document(articles, folder)
        theirs, theirs_mib = timed(
            [
                chromium,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={folder / 'profile'}",
                f"--print-to-pdf={folder / 'chromium.pdf'}",
                document.as_uri(),
            ]
        )
        rows.append(
            (
                "pdf corpus",
                "headless chromium (print only)",
                theirs,
                theirs_mib,
                f"{pages(folder / 'chromium.pdf')} pages; archiver cold {cold / theirs:.2f}x its time",
            )
        )
    return rows


def warc_rows(corpus: Path) -> list[Row]:
    articles = [a for a in read_inputs([str(corpus)], jobs=2) if isinstance(a, Article)]
    buffer = io.BytesIO()
    start = time.perf_counter()
    warc.write_records(articles, buffer, ExportOptions(title="bench"), "bench.warc.gz")
    ours = time.perf_counter() - start
    import gzip

    raw = gzip.decompress(buffer.getvalue())
    start = time.perf_counter()
    zlib.compress(raw, 6)
    floor = time.perf_counter() - start
    return [
        (
            "warc corpus",
            "archiver WARC writer",
            ours,
            None,
            (f"{len(raw) / 2**20:.1f} MiB of records; {ours / floor:.2f}x gzip's time (target 2x)"),
        ),
        ("warc corpus", "gzip of the same bytes", floor, None, ""),
    ]


def mailboxes(corpus: Path, work: Path, sizes: list[int]) -> dict[int, Path]:
    """The benchmark's mailboxes by size, made once for the rows that use them."""
    templates: list[email.message.EmailMessage] = []
    boxes = {}
    for size in sizes:
        boxes[size] = work / f"mailbox-{size}.mbox"
        if not boxes[size].is_file():
            templates = templates or mail_templates(corpus)
            mailbox(boxes[size], templates, size)
    return boxes


def memory_rows(corpus: Path, work: Path, sizes: list[int]) -> list[Row]:
    rows: list[Row] = []
    for size, box in mailboxes(corpus, work, sizes).items():
        seconds, mib = timed([ARCHIVER, "export", str(box), "--out", str(work / f"mail-{size}"), "-q"])
        rows.append(
            (
                f"mailbox {size}",
                "archiver export (every format)",
                seconds,
                mib,
                f"{size / seconds:.0f} messages/s",
            )
        )
    return rows


HOLD_WHOLE = {  # what reading the export whole costs, and no more: the file parsed into a list
    ".csv": "import csv, sys; rows = list(csv.reader(open(sys.argv[1], newline='')))",
    ".json": "import json, sys; entries = json.load(open(sys.argv[1], 'rb'))",
}


def export_rows(exports: Path, work: Path, links: list[int], articles: list[int]) -> list[Row]:
    inputs = [(work / f"pocket-{n}.csv", n, pocket_csv) for n in links]
    inputs += [(work / f"wallabag-{n}.json", n, wallabag_json) for n in articles]
    rows: list[Row] = []
    for path, size, make in inputs:
        make(exports, path, size)
        seconds, mib = timed([ARCHIVER, "inspect", "--json", str(path)])
        floor_seconds, floor_mib = timed([sys.executable, "-c", HOLD_WHOLE[path.suffix], str(path)])
        megabytes = path.stat().st_size / 2**20
        rows.append(
            (
                path.stem,
                "archiver inspect --json",
                seconds,
                mib,
                f"{megabytes:.0f} MiB file; {size / seconds:.0f} entries/s; {mib / floor_mib:.2f}x the "
                "memory of holding it whole",
            )
        )
        rows.append((path.stem, "the file held whole (json/csv)", floor_seconds, floor_mib, ""))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpus", nargs="?", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--messages", default="1000,10000", help="mailbox sizes for the memory rows")
    parser.add_argument("--links", default="10000,100000", help="Pocket CSV sizes for the exports rows")
    parser.add_argument("--articles", default="1000,10000", help="wallabag export sizes for the exports rows")
    parser.add_argument("--scale", default="1000,10000", help="package sizes for the scale rows")
    parser.add_argument("--search", default="10000", help="package sizes for the search rows")
    parser.add_argument("--site-up-to", type=int, default=10000, help="the search rows' largest site")
    parser.add_argument(
        "--skip",
        default="",
        help="rows to leave out, comma-separated: "
        "read,epub,pdf,warc,memory,exports,capture,browser,drivers,behaviors,start,percollate,scale,search,"
        "cluster",
    )
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    if not (args.corpus / "expected.jsonl").is_file():
        print(f"needs the shared corpus ({args.corpus})", file=sys.stderr)
        return 2
    pages_ = saved_pages(args.corpus)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        steps = {
            "read": lambda: reading(pages_),
            "epub": lambda: epub_rows(pages_, work),
            "pdf": lambda: pdf_rows(args.corpus, work),
            "warc": lambda: warc_rows(args.corpus),
            "memory": lambda: memory_rows(args.corpus, work, _sizes(args.messages)),
            "exports": lambda: export_rows(
                args.corpus.parent / "exports", work, _sizes(args.links), _sizes(args.articles)
            ),
            "capture": lambda: capture_rows(work),
            "browser": lambda: browser_rows(work),
            "drivers": driver_rows,
            "behaviors": lambda: behavior_rows(work),
            "start": lambda: start_rows(pages_, work),
            "percollate": lambda: percollate_rows(pages_, work),
            "scale": lambda: scale_rows(
                ARCHIVER, args.corpus.parent / "exports", args.corpus, work, _sizes(args.scale)
            ),
            "search": lambda: search_rows(
                ARCHIVER,
                args.corpus.parent / "exports",
                args.corpus,
                work,
                _sizes(args.search),
                args.site_up_to,
            ),
            "cluster": lambda: cluster_rows(
                mailboxes(args.corpus, work, _sizes(args.messages)), args.corpus, work
            ),
        }
        for name, step in steps.items():
            if name not in skip:
                print(f"running {name} ...", file=sys.stderr, flush=True)
                rows += step()
    print(f"{'workload':<14} {'tool':<34} {'seconds':>8} {'peak MiB':>9}  note")
    for workload, tool, seconds, mib, note in rows:
        print(f"{workload:<14} {tool:<34} {seconds:>8.2f} {'' if mib is None else f'{mib:.0f}':>9}  {note}")
    return 0


def _sizes(text: str) -> list[int]:
    return [int(n) for n in text.split(",") if n]


if __name__ == "__main__":
    sys.exit(main())
