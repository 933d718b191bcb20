"""Full-text search at scale: a package of N articles (the scale bench's generator: a wallabag
export of N entries with their text) exported, then

- `archiver search` on queries made from the package's own articles by the query set's rules
  (tests/search_queries.py): the median time of the search itself (api.search, in one process),
  and of the whole command, its start included;
- one saved page added: the whole export, and the part of it that brings the search index up to
  date (search/store.py's sync), timed inside the exporting process;
- with the site (the smaller sizes): its search in headless Chromium from file://, the time to
  the first results of a first query (nothing loaded yet) and the median of the next ones, the
  size of site/search/ beside the rest of the site's text files, and a screenshot.

Beside it, the same articles' text indexed by MiniSearch and lunr (npm, fetched at run time),
each index loaded by the page as a script, since from file:// nothing can be fetched: its size
and the time to the first results of the same queries (bench/search_peers.js builds them)."""

from __future__ import annotations

import json
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path
from typing import Any

from common import tree_peak
from exports import wallabag_json

ROOT = Path(__file__).resolve().parent.parent
Row = tuple[str, str, float, float | None, str]
QUERIES = 60


def search_rows(
    archiver: str, exports: Path, corpus: Path, work: Path, sizes: list[int], site_up_to: int
) -> list[Row]:
    sys.path.insert(0, str(ROOT))
    from tests.search_queries import queries

    added = sorted((corpus / "readability").glob("*/source.html"))[2]
    rows: list[Row] = []
    for size in sizes:
        export = work / f"search-{size}.json"
        wallabag_json(exports, export, size)
        out = work / f"search-package-{size}"
        shutil.rmtree(out, ignore_errors=True)
        formats = ["--format", "warc"] + (["--format", "html"] if size <= site_up_to else [])
        seconds, mib = tree_peak([archiver, "export", str(export), "--out", str(out), *formats, "-q"])
        export.unlink()
        index = (out / ".archiver" / "search.sqlite").stat().st_size
        rows.append(
            (
                f"search-{size}",
                f"export {size:,} articles",
                seconds,
                mib,
                f"search index {index / 1e6:,.0f} MB",
            )
        )
        asked = _sample(queries(out, shared=True))
        inside = _in_process(out, asked)
        rows.append(
            (
                f"search-{size}",
                f"archiver search, median of {len(asked)} (in process)",
                inside,
                None,
                _kinds(asked),
            )
        )
        whole = statistics.median(
            _timed([archiver, "search", str(out), q.text, "--limit", "10"]) for q in asked[:15]
        )
        rows.append(
            (
                f"search-{size}",
                "archiver search, median of 15 (the command)",
                whole,
                None,
                "its start included",
            )
        )
        seconds, synced = _add_one(out, added, formats)
        rows.append(
            (
                f"search-{size}",
                "then add one saved page",
                seconds,
                None,
                f"of which the search index: {synced * 1000:.0f} ms",
            )
        )
        if size <= site_up_to:
            rows += _site_rows(out, asked, work, size)
    return rows


def _sample(made: list[Any]) -> list[Any]:
    """QUERIES of them, spread over the package, the kinds in turn (title, phrase, variant, ...)."""
    by_kind: dict[str, list[Any]] = {}
    for query in made:
        by_kind.setdefault(query.kind, []).append(query)
    each = QUERIES // len(by_kind)
    spread = [chosen[:: max(1, len(chosen) // each)][:each] for chosen in by_kind.values()]
    return [query for turn in zip(*spread, strict=False) for query in turn]


def _kinds(asked: list[Any]) -> str:
    counts: dict[str, int] = {}
    for query in asked:
        counts[query.kind] = counts.get(query.kind, 0) + 1
    return ", ".join(f"{n} {kind}s" for kind, n in sorted(counts.items()))


def _in_process(out: Path, asked: list[Any]) -> float:
    script = (
        "import json, statistics, sys, time\n"
        "from archiver import api\n"
        "texts = json.loads(sys.argv[2])\n"
        "api.search(sys.argv[1], texts[0])\n"  # the first opens the files: not what a search costs
        "times = []\n"
        "for text in texts:\n"
        "    start = time.perf_counter()\n"
        "    api.search(sys.argv[1], text)\n"
        "    times.append(time.perf_counter() - start)\n"
        "print(statistics.median(times))\n"
    )
    texts = json.dumps([q.text for q in asked])
    done = subprocess.run(
        [sys.executable, "-c", script, str(out), texts], capture_output=True, text=True, check=True
    )
    return float(done.stdout.strip())


def _timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, capture_output=True, check=False)
    return time.perf_counter() - start


def _add_one(out: Path, page: Path, formats: list[str]) -> tuple[float, float]:
    """The export that adds one page, and the time of the search index's update inside it."""
    script = (
        "import sys, time\n"
        "from archiver.search import store\n"
        "sync, spent = store.sync, []\n"
        "def timed(db):\n"
        "    start = time.perf_counter(); n = sync(db); spent.append(time.perf_counter() - start); return n\n"
        "store.sync = timed\n"
        "from archiver.cli.app import app\n"
        "start = time.perf_counter()\n"
        "try:\n"
        "    app(sys.argv[1:])\n"
        "except SystemExit as exit:\n"
        "    assert not exit.code, exit.code\n"
        "print(time.perf_counter() - start, sum(spent))\n"
    )
    command = [sys.executable, "-c", script, "export", str(page), "--out", str(out), *formats, "-q"]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    whole, synced = done.stdout.split()[-2:]
    return float(whole), float(synced)


def _site_rows(out: Path, asked: list[Any], work: Path, size: int) -> list[Row]:
    site = out / "site"
    search = sum(p.stat().st_size for p in (site / "search").rglob("*") if p.is_file())
    text = sum(
        p.stat().st_size
        for p in site.rglob("*")
        if p.is_file() and p.relative_to(site).parts[0] not in ("search", "images")
    )
    peers = _peers(out, work)
    pages = {"archiver": site / "search.html", **{name: page for name, (page, _) in peers.items()}}
    times = _first_results(pages, [q.text for q in asked[:20]], work / f"search-{size}.png")
    kept = Path("/tmp/archiver-bench-search")  # for a person to look at after the run
    kept.mkdir(exist_ok=True)
    shutil.copy(work / f"search-{size}.png", kept / f"search-{size}.png")
    share = f"site/search/ {search / 1e6:,.1f} MB: {search / text:.0%} of the site's other text files"
    share += f" ({text / 1e6:,.0f} MB); screenshot {kept}/search-{size}.png"
    ours = times["archiver"]
    rows: list[Row] = [
        (f"search-{size}", "site search, first results (cold)", ours[0], None, share),
        (f"search-{size}", "site search, median of the next 19", statistics.median(ours[1:]), None, ""),
    ]
    for name, (_, index) in peers.items():
        cold, rest = times[name][0], statistics.median(times[name][1:])
        note = f"index {index / 1e6:,.1f} MB ({index / search:.2f}x ours); {cold / ours[0]:.2f}x ours cold,"
        note += f" {rest / statistics.median(ours[1:]):.2f}x warm; no snippets"
        rows.append((f"search-{size}", f"{name}, first results (cold)", cold, None, note))
    return rows


def _peers(out: Path, work: Path) -> dict[str, tuple[Path, int]]:
    """MiniSearch's and lunr's pages for the package's articles: {name: (page, index size)}."""
    import zlib

    modules = work / "npm"
    subprocess.run(
        ["npm", "install", "--prefix", str(modules), "--no-audit", "--no-fund", "minisearch@7", "lunr@2"],
        check=True,
        capture_output=True,
    )
    with sqlite3.connect(out / ".archiver" / "search.sqlite") as db:
        docs = []
        for position, packed in db.execute("SELECT position, text FROM texts ORDER BY position"):
            title, _, body = json.loads(zlib.decompress(packed))
            docs.append({"id": position, "title": title, "text": body})
    folder = work / "peers"
    folder.mkdir(exist_ok=True)
    (work / "docs.json").write_text(json.dumps(docs), encoding="utf-8")
    script = Path(__file__).with_name("search_peers.js")
    done = subprocess.run(
        [
            "node",
            "--max-old-space-size=8000",
            str(script),
            str(modules / "node_modules"),
            str(work / "docs.json"),
            str(folder),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    sizes = json.loads(done.stdout)
    return {name: (folder / f"{name}.html", sizes[name]) for name in ("minisearch", "lunr")}


def _first_results(pages: dict[str, Path], texts: list[str], screenshot: Path) -> dict[str, list[float]]:
    """For each page, the seconds from asking for it (its query in its address) to its results
    listed (ours: before their snippets are filled in), for each query, the site's index page
    opened first: the first with nothing of the index loaded, the next ones each a new page."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.support.ui import WebDriverWait

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1000,1200"):
        options.add_argument(argument)
    times: dict[str, list[float]] = {}
    for name, page in pages.items():
        driver = webdriver.Chrome(
            options=options, service=Service(shutil.which("chromedriver") or "chromedriver")
        )
        try:
            for number, text in enumerate(texts):
                driver.get(page.as_uri() + "?q=" + urllib.parse.quote(text))
                WebDriverWait(driver, 120).until(lambda d, text=text: _answered(d) == text)
                at = driver.execute_script("return +document.getElementById('hits').dataset.at")
                times.setdefault(name, []).append(float(at) / 1000)
                if name == "archiver" and number == 0:
                    driver.save_screenshot(str(screenshot))
        finally:
            driver.quit()
    return times


def _answered(driver: Any) -> str | None:
    found = driver.execute_script("return document.getElementById('hits').getAttribute('data-query')")
    return None if found is None else str(found)
