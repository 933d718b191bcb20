"""The package's own outputs (the whole package, one output per format), planned so that an
export writes what it adds, not what the package holds:

- WARC: a series, `warc/STEM-00001.warc.gz` and on. An export writes the articles it added or
  changed into the next WARC(s), at most WARC_ARTICLES each, and never touches the earlier
  ones: the way crawls are deposited, and what pywb and WACZ take.
- WACZ: every WARC of the series, their indexes merged (each kept beside its WARC).
- EPUB and PDF: one book while the package holds at most VOLUME_ARTICLES articles; past that,
  volumes of VOLUME_ARTICLES articles in the order they were added. A volume is written again
  only when one of its articles changed, so an export that adds articles writes the last volume
  (a PDF's from the parts it rendered before).
- Site: each article's page written once (again when the article changes); the index, in
  pages of SITE_PAGE articles, and its listing of every article for the filter, each time.

Each output's recipe (the settings that shape it, and its articles' records) is kept in the
index; an output whose recipe did not change is not written again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..book.collection import slugify
from ..exporters import BY_NAME
from ..exporters.base import Exporter, ExportOptions, Volume

VOLUME_ARTICLES = 500  # a book a reading system opens at once, and EPUBCheck checks in a minute
WARC_ARTICLES = 1_000  # the articles of one WARC of the series, held in memory while it is written
SERIES = "warc"  # the folder of the WARC series, in the payload
SITE = "site"
SITE_PAGE = 500  # articles on one page of the site's index
SEARCH_FORMAT = 1  # of the site's search shards (site_search.py)
PAGES_END = " | "  # in the site's recipe, after what its article pages are written from


@dataclass(frozen=True)
class Row:
    """An article as the plan sees it: its place, its identity, and its record's hash."""

    position: int
    original: str
    digest: str


@dataclass(frozen=True)
class Task:
    """One output to write: its format, its path in the payload, its articles (positions, in the
    order added), the options it is written with, and what it is written from."""

    exporter: Exporter
    name: str
    positions: tuple[int, ...]
    options: ExportOptions
    recipe: str | None  # None: a new WARC of the series, always written


def stem(options: ExportOptions) -> str:
    """The package's outputs are named by the user's title, or "saved-articles": never by what
    they hold, which changes with every export."""
    return slugify(options.title) if options.title else "saved-articles"


def plan(
    formats: Sequence[str],
    rows: Sequence[Row],
    options: ExportOptions,
    basis: str,
    unwritten: set[int],
    series_names: Sequence[str],
) -> list[Task]:
    """The outputs of one export of the whole package. `series_names` are the WARCs written
    before, and `unwritten` the positions of the articles none of them holds as they are now."""
    name = stem(options)
    everything = _recipe(basis, rows)
    books = {kind: _volumes(kind, rows, name, options, basis) for kind in ("epub", "pdf") if kind in formats}
    series: list[str] = list(series_names)
    warcs = []
    if "warc" in formats or "wacz" in formats:  # a WACZ holds the series' WARCs
        new = [row for row in rows if row.position in unwritten]
        first = len(series_names) + 1
        for number, start in enumerate(range(0, len(new), WARC_ARTICLES), first):
            chunk = new[start : start + WARC_ARTICLES]
            warc = f"{SERIES}/{name}-{number:05d}.warc.gz"
            series.append(warc)
            warcs.append(Task(BY_NAME["warc"], warc, tuple(r.position for r in chunk), options, None))
    epubs = books.get("epub", [])
    tasks = [*epubs, *warcs]
    for number, pdf in enumerate(books.get("pdf", [])):  # its notes name the EPUB that holds it whole
        elsewhere = (epubs[number].name,) if epubs else ()
        own = replace(pdf.options, alongside=elsewhere)
        tasks.append(replace(pdf, options=own, recipe=f"{pdf.recipe} {elsewhere}"))
    others = [
        *(task.name for volumes in books.values() for task in volumes),
        *([f"{name}.wacz"] if "wacz" in formats else []),
        *([f"{SERIES}/"] if series else []),
    ]
    positions = tuple(row.position for row in rows)
    if "wacz" in formats:
        tasks.append(Task(BY_NAME["wacz"], f"{name}.wacz", positions, options, f"wacz {everything}"))
    if "html" in formats:
        site = replace(options, alongside=tuple(others))
        pages = hashlib.sha256(basis.encode()).hexdigest()
        # the search's format after PAGES_END: a site of another is written again, not its pages
        recipe = f"html {pages}{PAGES_END}{site.alongside} search {SEARCH_FORMAT} {everything}"
        tasks.append(Task(BY_NAME["html"], SITE, positions, site, recipe))
    return tasks


def same_pages(earlier: str | None, now: str) -> bool:
    """Whether the site's article pages written under the recipe `earlier` are those it would
    write now: the same settings and version (its articles are compared one by one)."""
    return earlier is not None and earlier.split(PAGES_END)[0] == now.split(PAGES_END)[0]


def _volumes(kind: str, rows: Sequence[Row], name: str, options: ExportOptions, basis: str) -> list[Task]:
    """The books (EPUB or PDF) of the package: one, or volumes of VOLUME_ARTICLES."""
    exporter = BY_NAME[kind]
    if len(rows) <= VOLUME_ARTICLES:
        positions = tuple(row.position for row in rows)
        return [
            Task(exporter, f"{name}{exporter.suffix}", positions, options, f"{kind} {_recipe(basis, rows)}")
        ]
    series = options.title or "Saved articles"
    volumes = []
    for number, start in enumerate(range(0, len(rows), VOLUME_ARTICLES), 1):
        chunk = rows[start : start + VOLUME_ARTICLES]
        own = replace(options, title=f"{series}, volume {number}", volume=Volume(number, 0, series))
        recipe = f"{kind} volume {number} {_recipe(basis, chunk)}"
        positions = tuple(row.position for row in chunk)
        volumes.append(Task(exporter, f"{name}-volume-{number}{exporter.suffix}", positions, own, recipe))
    return volumes


def _recipe(basis: str, rows: Sequence[Row]) -> str:
    total = hashlib.sha256(basis.encode())
    for row in rows:
        total.update(f"{row.original} {row.digest}\n".encode())
    return total.hexdigest()
