"""archiver from Python: read saved articles, export them into a package, verify a package.

    for event in archiver.export(["saved/"], "archive/", archiver.ExportSettings(formats=("epub",))):
        print(event)

The command line is one caller of these three functions; what it prints comes from the events.
Nothing heavy is imported until a function is called.
"""

from __future__ import annotations

import errno
import hashlib
import importlib.util
import itertools
import json
import os
import sqlite3
import tempfile
from collections import Counter
from collections.abc import Generator, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias, get_args

from .book.collection import ORDERS, Order
from .book.grouping import GROUPINGS, GroupBy
from .book.selection import Selection
from .bounds import ReadBounds
from .capture.mode import CaptureMode, choose
from .errors import ArchiverError, UsageError, unexpected
from .exporters.base import PageSize, Written
from .model import Article, Capture, Failure

if TYPE_CHECKING:
    from .capture.browser import Browser
    from .capture.fetcher import CapturingFetcher
    from .capture.session import CaptureSettings
    from .package.folder import Package
    from .package.verify import Check
    from .runtime.runner import Runner


def _setting(default: Any, about: str) -> Any:
    """A setting's default, and what it does: the command's help shows the same words."""
    return field(default=default, metadata={"help": about})


@dataclass(frozen=True)
class ExportSettings:
    """What an export writes and how, each setting declared once: the command's options take
    their defaults and help from here (cli/app.py)."""

    formats: Sequence[str] | None = None  # epub, pdf, warc, wacz, html; None: every format
    title: str | None = _setting(None, "Title of the collection (derived from its articles when none).")
    author: str | None = _setting(None, "Who compiled the collection (also the bag's organization).")
    style: Path | None = _setting(None, "A CSS file to use instead of the built-in one.")
    per_article: bool = _setting(False, "One output per article.")
    order: Order = _setting("input", "Article order.")
    fetch: bool = _setting(
        False,
        "Capture the pages of entries that hold only an address (into the WARC, then read as "
        "articles), and download remote images. Off by default: no connection at all.",
    )
    fetch_private: bool = _setting(
        False,
        "With --fetch, also fetch from loopback, private and link-local addresses (refused by default).",
    )
    refetch: bool = _setting(False, "With --fetch, capture again what the package captured before.")
    fallback_archive: str | None = _setting(
        None,
        "With --fetch, take a dead page from this Wayback-style archive instead "
        "(e.g. https://web.archive.org/web), recorded as the archive's capture, never as live.",
    )
    capture: CaptureMode = _setting(
        "auto",
        "With --fetch, how pages are captured: browser (rendered in headless Chromium, every request "
        "made by archiver), http (the page as sent, no scripts run) or auto (browser when Chromium "
        "and Playwright are installed).",
    )
    connections: int = _setting(8, "With --fetch, captures at once, overall.")
    per_host: int = _setting(2, "With --fetch, captures at once from one host.")
    page_size: PageSize = _setting("A4", "PDF page size.")
    pdf_variant: str | None = "pdf/a-3b"  # a WeasyPrint PDF variant; None: plain PDF
    pdf_max_pages: int = _setting(
        300,
        "Pages of one article in the PDF at most; a longer one is printed in part, with a note "
        "saying where the whole text is. 0: no bound.",
    )
    image_max: int = _setting(
        1600,
        "EPUB: scale images down to at most this many pixels on their longest side, for e-readers. "
        "0: as saved.",
    )
    max_size: int = 0  # bytes an EPUB may take, a larger collection split into volumes; 0: no bound
    group_by: GroupBy = _setting("none", "Sections of the EPUB and PDF (month and year by --date-of).")
    selection: Selection | None = None  # which of the package's articles the outputs hold; None: all
    cover: Path | None = _setting(
        None, "EPUB: this PNG or JPEG as the cover. Default: one drawn from the collection."
    )
    jobs: int | None = _setting(None, "Worker processes for reading and rendering. Default: every core.")
    read_memory: int = _setting(
        ReadBounds.memory_mib,
        "MiB of memory each reading process may take; an input that needs more is reported, "
        "and the rest are read. 0 with --read-seconds 0: read unbounded, in this process.",
    )
    read_seconds: float = _setting(
        ReadBounds.seconds,
        "Seconds one input (a mailbox's message, an export's entry) may take to read; one "
        "that takes longer is reported, and the rest are read.",
    )
    cache: bool = _setting(
        True, "Keep rendered articles in OUT/.archiver/ so that a rebuild renders only new ones."
    )
    bag: bool = _setting(False, "Write OUT as a BagIt 1.0 bag (outputs under data/).")
    cluster: str | None = _setting(
        None,
        "Run the per-article work (reading, PDF parts) on this Dask scheduler (tcp://host:8786); "
        "the package folder and the inputs must be where its workers can read and write them, or "
        "give --store. Needs pip install 'archiver[cluster]'.",
    )
    store: str | None = _setting(
        None,
        "With --cluster: a store its workers all reach, as an fsspec URL (s3://bucket/path, "
        "file:///mnt/shared/store); the inputs and PDF parts go through it, and no worker "
        "touches the package folder or the inputs.",
    )


# What the exporters take of the settings as it is, under the same name (ExportOptions, with the
# same type and default: tests/test_api.py holds the two to it)
SETTINGS_FOR_EXPORTERS = (
    *("title", "author", "style", "page_size", "pdf_variant", "pdf_max_pages", "image_max"),
    *("cover", "max_size", "group_by"),
)


@dataclass(frozen=True)
class ArticleAdded:
    """An article read and kept in the package."""

    article: Article


@dataclass(frozen=True)
class Duplicate:
    """An input, or an article, the package already holds: skipped."""

    path: str  # as the user gave it
    of: str  # where the package has it from
    whole_input: bool  # True: the same input file was read before, so it was not read again
    merged: bool = False  # the same address, saved elsewhere: its tags and state joined that article


@dataclass(frozen=True)
class Problem:
    """An input, or one message of a mailbox, that could not be read or kept: the rest goes on."""

    path: str
    problem: str
    locator: str | None = None  # which message of a mailbox


@dataclass(frozen=True)
class Captured:
    """A link's page fetched live (--fetch), or taken from the captures kept from an earlier run."""

    url: str
    problem: str | None  # why it gave no article (404, timed out, refused); None: it did
    fresh: bool  # fetched now; False: taken from the package's captures
    warnings: tuple[str, ...] = ()  # what the browser met: a page that did not settle, or crashed


@dataclass(frozen=True)
class Note:
    """Something the user should know about how the export goes (no browser for --fetch)."""

    text: str


@dataclass(frozen=True)
class Writing:
    """Reading is done; this many outputs are about to be written."""

    outputs: int


@dataclass(frozen=True)
class Unchanged:
    """Nothing to do: no input added anything, and the package already holds these outputs,
    written from the same articles and settings. It is left as it was."""

    reason: str


@dataclass(frozen=True)
class Finished:
    """The package is committed: every output, manifest.json and the state are in place."""

    out: Path
    payload: Path  # the folder holding the outputs and manifest.json (data/ in a bag)
    articles: int  # in the package, from this export and earlier ones
    warnings: int  # of those articles
    problems: int  # inputs that could not be read, this export and earlier ones
    duplicates: int  # skipped by this export
    links: int = 0  # of the articles, those whose input held only the address, not the text
    merged: int = 0  # saves of an address the package had, joined to that article by this export
    captured: int = 0  # of the articles, those whose page was captured live (this run or before)
    dead: int = 0  # of the articles, links whose capture gave no page (404, DNS, timed out, ...)
    abridged: int = 0  # articles an output holds only in part (the PDF's page bound), as the manifest says


Event: TypeAlias = (
    ArticleAdded | Duplicate | Problem | Captured | Note | Writing | Written | Unchanged | Finished
)


def read(
    inputs: Sequence[str | PathLike[str]],
    *,
    fetch: bool = False,
    fetch_private: bool = False,
    capture: CaptureMode = "auto",
    jobs: int | None = 1,
    read_memory: int = ReadBounds.memory_mib,
    read_seconds: float = ReadBounds.seconds,
) -> Iterator[Article | Failure]:
    """Every article of every input (a file or a folder of them), in order; an input that cannot
    be read is yielded as a Failure, and the next one is read. Reading runs in worker processes
    (at least one, whatever `jobs` says), each bounded to `read_memory` MiB, and each input (a
    mailbox's message, an export's entry) to `read_seconds`: an input past them is a Failure that
    says so (both 0: read in this process, unbounded). With `fetch`, links are captured as
    `capture` says (ExportSettings.capture)."""
    from .capture.fetcher import CapturingFetcher
    from .readers import ReadOptions, input_files, read_files
    from .runtime.runner import opened

    settings = _capture_settings(ExportSettings(fetch_private=fetch_private))
    fetcher = CapturingFetcher.cached(settings) if fetch or fetch_private else None
    options = ReadOptions(fetcher=fetcher, bounds=read_bounds(read_memory, read_seconds))
    paths, addresses = _addresses_apart([str(given) for given in inputs])
    with tempfile.TemporaryDirectory(prefix="archiver-addresses-") as scratch:
        listed = [(address_list(addresses, Path(scratch)), ADDRESSES_SHOWN)] if addresses else []
        files = itertools.chain((item for given in paths for item in input_files(given)), listed)
        with (
            opened(jobs) as runner,
            closing(read_files(files, options, runner)) as items,
        ):  # closed at once when the caller stops
            if fetcher is None:
                yield from items
                return
            from .capture.links import captured_stream

            with (
                _browser(fetcher, capture) as (browser, _),
                closing(captured_stream(items, fetcher, browser)) as captured,
            ):
                yield from captured


def export(
    inputs: Sequence[str | PathLike[str]], out: str | PathLike[str], settings: ExportSettings | None = None
) -> Generator[Event, None, None]:
    """Export the inputs into the package folder `out` (created, or added to), event by event.

    Settings and `out` are checked before anything is read: a UsageError says what is wrong.
    The package changes only when the iteration reaches Finished; stopped earlier (an exception,
    Ctrl-C, a caller that breaks off), it is as it was, or is completed by the next export or
    verify if it stopped inside the commit. ArchiverError when no article could be read; OSError
    when the package cannot be written."""
    settings = settings or ExportSettings()
    formats = _check(settings)
    from .package.folder import Package

    try:
        package = Package.open(Path(out), settings.bag)
    except ArchiverError as exc:
        raise UsageError(str(exc)) from exc
    paths, addresses = _addresses_apart([str(given) for given in inputs])
    if addresses:  # kept in the package as a list of addresses: the input these articles came from
        paths.append(str(address_list(addresses, package.state / "inputs")))
    return _export(package, paths, formats, settings)


@dataclass(frozen=True)
class SearchHit:
    """An article a search found, with where to read it."""

    rank: int  # 1: the best match
    id: str  # its manifest id, urn:sha256:...
    title: str | None
    outlet: str | None
    authors: tuple[str, ...]
    published: str | None  # ISO 8601
    saved: str | None
    url: str | None
    snippet: str  # some thirty words around the query's words
    marks: tuple[tuple[int, int], ...]  # where in the snippet they are, [start, end)
    places: tuple[str, ...]  # each output that holds it (the site: its own page), in the payload
    score: float  # FTS5's BM25: lower is better


@dataclass(frozen=True)
class SearchResults:
    hits: list[SearchHit]
    corrected: tuple[tuple[str, str], ...]  # (a word no article holds, the words searched instead)
    stale: int  # articles the search index does not hold as they are now (an export brings it up to date)


def search(
    folder: str | PathLike[str], query: str, selection: Selection | None = None, limit: int = 10
) -> SearchResults:
    """The package's articles that match a query (words, "a phrase", -word, this OR that),
    best first, among those a selection holds."""
    from .dates import iso
    from .package.lookup import opened, places
    from .search.find import search as find

    with opened(Path(folder)) as package:
        if not package.searchable.present:
            raise ArchiverError(
                f"{folder} has no search index (written before archiver searched, or deleted):"
                " export into it again to build it"
            )
        compiled, found = find(package.db, package.store, query, selection or Selection(), limit)
        hits = [
            SearchHit(
                rank,
                hit.id,
                hit.article.title,
                hit.article.outlet,
                hit.article.authors,
                iso(hit.article.published),
                iso(hit.article.source.saved),
                hit.article.url,
                hit.snippet,
                hit.marks,
                tuple(places(package.db, hit.position, hit.article.title)),
                hit.score,
            )
            for rank, hit in enumerate(found, 1)
        ]
        status = package.searchable
        return SearchResults(hits, compiled.corrected, status.stale + status.gone)


def verify(folder: str | PathLike[str]) -> Iterator[Check]:
    """Check a package: every output's hash and the provenance inside it against the manifest,
    every input still where it was read, and a bag's manifests. One Check per thing checked."""
    from .package.verify import verify as verify_package

    return verify_package(Path(folder))


def finish_interrupted(out: str | PathLike[str]) -> bool:
    """After an export was stopped: complete its commit if it had reached it. True when the
    package now holds that export's outputs, False when it is as it was before."""
    from .package import STATE_FOLDER
    from .package.commit import finish

    return finish(Path(out), Path(out) / STATE_FOLDER)


def _cluster_address(settings: ExportSettings) -> str | None:
    from .runtime.cluster import address

    return address(settings.cluster)


ADDRESSES_SHOWN = "addresses given on the command line"


def _addresses_apart(inputs: list[str]) -> tuple[list[str], list[str]]:
    """(files and folders, web addresses) among the inputs; a file named like an address is a file."""
    from .urls import is_web_url

    addresses = [given for given in inputs if is_web_url(given) and not os.path.exists(given)]
    return [given for given in inputs if given not in addresses], addresses


def address_list(addresses: list[str], folder: Path) -> Path:
    """The addresses as a text/uri-list file in `folder`, named by its content."""
    from .atomic import write_atomic

    data = "".join(f"{address}\n" for address in addresses).encode("utf-8")
    path = folder / f"addresses-{hashlib.sha256(data).hexdigest()[:16]}.uri"
    folder.mkdir(parents=True, exist_ok=True)
    write_atomic(path, data)
    return path


def _check(settings: ExportSettings) -> list[str]:
    from .exporters import BY_NAME
    from .exporters.styles import read_style
    from .urls import is_web_url

    formats = list(dict.fromkeys(settings.formats or BY_NAME))
    problems = [
        f"unknown format {f!r} (choose from {', '.join(BY_NAME)})" for f in formats if f not in BY_NAME
    ]
    if settings.fallback_archive is not None and not is_web_url(settings.fallback_archive):
        problems.append(f"--fallback-archive needs an http(s) address, not {settings.fallback_archive!r}")
    chosen = settings.selection
    if chosen is not None and chosen.status not in (None, "unread", "archived"):
        problems.append(f"unknown status {chosen.status!r} (choose from unread, archived)")
    if _cluster_address(settings) and importlib.util.find_spec("distributed") is None:
        problems.append("--cluster needs Dask distributed: pip install 'archiver[cluster]'")
    if settings.capture not in get_args(CaptureMode):
        modes = ", ".join(get_args(CaptureMode))
        problems.append(f"unknown --capture {settings.capture!r} (choose from {modes})")
    elif (settings.fetch or settings.fetch_private) and settings.capture == "browser":
        try:
            choose(settings.capture)
        except ArchiverError as exc:
            problems.append(str(exc))
    if settings.store and not _cluster_address(settings):
        problems.append("--store is where a cluster's workers exchange files: give --cluster too")
    if settings.group_by not in GROUPINGS:
        problems.append(f"unknown --group-by {settings.group_by!r} (choose from {', '.join(GROUPINGS)})")
    if chosen is not None and chosen.date_of not in ("published", "saved"):
        problems.append(f"unknown --date-of {chosen.date_of!r} (choose from published, saved)")
    if chosen is not None and chosen.since and chosen.until and chosen.since > chosen.until:
        problems.append(f"--since {chosen.since} is after --until {chosen.until}")
    if settings.order not in ORDERS:
        problems.append(f"unknown order {settings.order!r} (choose from {', '.join(ORDERS)})")
    if settings.cover is not None:
        from .exporters.epub.cover import own_cover

        try:
            own_cover(settings.cover)
        except ArchiverError as exc:
            problems.append(str(exc))
    if settings.style is not None:
        try:
            read_style(settings.style)
        except ArchiverError as exc:
            problems.append(str(exc))
    if problems:
        raise UsageError(*problems)
    return formats


def _export(
    package: Package, inputs: list[str], formats: list[str], settings: ExportSettings
) -> Generator[Event, None, None]:
    from .exporters import EXPORTERS
    from .runtime.preload import WARM_READ
    from .runtime.runner import opened

    # The fork server, started first with what the outputs' workers import (a PDF's: WeasyPrint,
    # warmed), warms up while this process finds the inputs, once, and not again in each worker.
    warm = [WARM_READ, *(m for e in EXPORTERS if e.name in formats for m in e.preload)]
    try:
        with opened(settings.jobs, _cluster_address(settings), settings.store, warm) as runner:
            yield from _export_here(package, inputs, formats, settings, runner)
    except sqlite3.OperationalError as exc:  # the index's disk: full, or gone read-only
        code = errno.ENOSPC if "full" in str(exc) else errno.EIO
        raise OSError(code, f"{os.strerror(code)} (the package's index: {exc})") from exc
    finally:
        package.close()


def _export_here(
    package: Package, inputs: list[str], formats: list[str], settings: ExportSettings, runner: Runner
) -> Generator[Event, None, None]:
    from .capture.fetcher import CapturingFetcher
    from .exporters import ExportOptions
    from .readers import ReadOptions, input_files, read_files

    fetcher = (
        CapturingFetcher(
            package.captures, _capture_settings(settings), settings.refetch, settings.fallback_archive
        )
        if settings.fetch or settings.fetch_private
        else None
    )
    given_for: dict[str, str] = {}  # each file's path as shown -> the input argument it came from
    skipped: list[Duplicate] = []

    def unread() -> Iterator[tuple[Path, str] | Failure]:
        for given in inputs:
            for item in input_files(given):
                given_for[item.path if isinstance(item, Failure) else item[1]] = given
                if isinstance(item, Failure) or (kept := package.already_read(*item, given)) is None:
                    yield item
                else:
                    skipped.append(Duplicate(item[1], kept, whole_input=True))

    bounds = read_bounds(settings.read_memory, settings.read_seconds)
    read: Counter[type] = Counter()
    with closing(read_files(unread(), ReadOptions(fetcher=fetcher, bounds=bounds), runner)) as items:
        for item in items:
            read.update(type(event) for event in skipped)
            yield from skipped
            skipped.clear()
            for event in _keep(package, item, given_for):
                read[type(event)] += 1
                yield event
    read.update(type(event) for event in skipped)
    yield from skipped
    if fetcher is not None:
        yield from _capture(package, fetcher, settings)
    from .exporters import BY_NAME

    basis = _recipe_basis(settings)
    recipe = package.recipe(f"{basis} {sorted(formats)}", settings.selection)
    if package.up_to_date(recipe, formats, settings.selection):
        yield Unchanged(_why_unchanged(read))
        return
    each = len(package.index) if settings.per_article else 1  # a folder output (the site) is one, always
    yield Writing(sum(1 if BY_NAME[name].folder else each for name in formats))
    options = ExportOptions(
        **{name: getattr(settings, name) for name in SETTINGS_FOR_EXPORTERS},
        date_of=settings.selection.date_of if settings.selection else "published",
        runner=runner,
    )
    abridged = 0
    for written in package.write(
        formats,
        options,
        settings.per_article,
        settings.order,
        settings.cache,
        settings.selection,
        recipe,
        basis,
    ):
        abridged += len(written.report.abridged)
        yield written
    counts = package.index.counts()
    yield Finished(
        package.out,
        package.payload,
        counts.articles,
        counts.warnings,
        len(package.index.failures),
        len(package.index.duplicates),
        counts.links,
        len(package.index.merged),
        counts.captured,
        counts.dead,
        abridged,
    )


def _recipe_basis(settings: ExportSettings) -> str:
    """The settings that shape the outputs, and archiver's version, as one hash: with the same
    articles, the same basis writes the same bytes."""
    from . import __version__

    shaping = {name: repr(getattr(settings, name)) for name in SETTINGS_FOR_EXPORTERS}
    for name in ("style", "cover"):  # the file's content, not only its name
        path = getattr(settings, name)
        shaping[name] = hashlib.sha256(path.read_bytes()).hexdigest() if path is not None else ""
    shaping |= {
        "per_article": repr(settings.per_article),
        "order": settings.order,
        "date_of": settings.selection.date_of if settings.selection else "published",
        "version": __version__,
        "epoch": os.environ.get("SOURCE_DATE_EPOCH", ""),
    }
    return hashlib.sha256(json.dumps(shaping, sort_keys=True).encode()).hexdigest()


def _why_unchanged(read: Counter[type]) -> str:
    """ "nothing new (2 inputs read before, 1 could not be read): ..." """
    parts = [
        f"{read[Duplicate]} already in the package" if read[Duplicate] else "",
        f"{read[Problem]} could not be read" if read[Problem] else "",
    ]
    said = "; ".join(filter(None, parts)) or "no input given"
    return f"nothing new ({said}), and every output is up to date: the package is as it was"


def _capture(
    package: Package, fetcher: CapturingFetcher, settings: ExportSettings
) -> Iterator[Captured | Note]:
    from .capture.links import capture_links

    todo = list(package.index.links(settings.refetch, retry_dead=settings.fallback_archive is not None))
    if not todo:
        return
    with (
        _browser(fetcher, settings.capture) as (browser, note),
        closing(capture_links(todo, fetcher, browser)) as done,
    ):
        if note:
            yield Note(note)
        for index, article, fresh in done:
            package.index.captured(index, article)
            capture = article.capture or Capture("")
            yield Captured(capture.requested, capture.problem, fresh, capture.warnings)


@contextmanager
def _browser(fetcher: CapturingFetcher, mode: CaptureMode) -> Iterator[tuple[Browser | None, str | None]]:
    """The browser pages are rendered in (None: captured as sent), and a note saying what `auto` chose."""
    from .capture.browser import Browser, BrowserSettings

    executable, note = choose(mode)
    if executable is None:
        yield None, note
        return
    with Browser(fetcher, BrowserSettings(executable)) as browser:
        yield browser, note


def _keep(package: Package, item: Article | Failure, given_for: dict[str, str]) -> Iterator[Event]:
    if isinstance(item, Failure):
        package.fail(item, given_for[item.path])
        yield Problem(item.path, item.problem, item.locator)
        return
    try:
        added = package.add(item, given_for[item.source.path])
    except sqlite3.OperationalError:  # the package's disk (full, read-only), not this article
        raise
    except Exception as exc:  # noqa: BLE001 - one article's problem is that article's; the rest go on
        why = str(exc) if isinstance(exc, ArchiverError | OSError) else unexpected(exc)
        failure = Failure(item.source.path, why, item.source.locator)
        package.fail(failure, given_for[item.source.path])
        yield Problem(failure.path, failure.problem, failure.locator)
        return
    if added.entry is None:
        yield Duplicate(item.source.path, added.duplicate_of or "", whole_input=False, merged=added.merged)
    else:
        yield ArticleAdded(item)


def read_bounds(memory_mib: int, seconds: float) -> ReadBounds | None:
    """The reading processes' bound; None (read in this process) when both are 0. A bound of 0
    with the other set is as large as the machine allows."""
    if memory_mib <= 0 and seconds <= 0:
        return None
    return ReadBounds(memory_mib if memory_mib > 0 else 1 << 40, seconds if seconds > 0 else 1e9)


def _capture_settings(settings: ExportSettings) -> CaptureSettings:
    from .capture.session import CaptureSettings

    return CaptureSettings(
        allow_private=settings.fetch_private, connections=settings.connections, per_host=settings.per_host
    )
