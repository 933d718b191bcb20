"""The readers, in a literal registry, and the one entry point that reads any input.

Each reader module describes itself in one `Reader` record (base.py). Detection is by content:
the extension only adds one point and breaks ties, so a mislabeled file still finds its reader.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import os
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

from ..bounds import OverTime, ReadBounds, bounded, exceeded, out_of_memory
from ..errors import ArchiverError, unexpected
from ..images.sniff import looks_binary
from ..language import with_language
from ..model import Article, Failure
from ..runtime.runner import Runner
from ..runtime.shared_store import SharedStore
from . import (
    address_list,
    bookmarks_html,
    chrome_bookmarks,
    eml,
    firefox_bookmarks,
    html_page,
    instapaper,
    instapaper_html,
    matter_zip,
    mbox,
    mhtml,
    obsidian,
    omnivore,
    omnivore_zip,
    pinboard,
    pocket_csv,
    pocket_exporter,
    pocket_html,
    pocket_zip,
    raindrop,
    reader_view_page,
    readwise,
    single_file,
    wallabag,
)
from .base import HEAD_BYTES, Reader, ReadOptions
from .entries import EntryItem, entry_articles
from .stored import Putter, StoredFile, StoredFolder, copied
from .zipped import ZIP_MAGIC, member_names

T = TypeVar("T")

# In the order detection tries them: a mailbox before a page, a page last.
READERS: tuple[Reader, ...] = tuple(
    module.READER
    for module in (
        mbox,
        mhtml,
        eml,
        wallabag,
        omnivore,
        firefox_bookmarks,
        chrome_bookmarks,
        pinboard,
        pocket_exporter,
        omnivore_zip,
        pocket_zip,
        matter_zip,
        pocket_csv,
        instapaper,
        readwise,
        raindrop,
        pocket_html,
        instapaper_html,
        bookmarks_html,
        obsidian,
        address_list,
        reader_view_page,
        single_file,
        html_page,
    )
)
BY_NAME = {reader.name: reader for reader in READERS}
SUPPORTED_EXTENSIONS = frozenset(ext for reader in READERS for ext in reader.extensions)
# Data formats whose extension says nothing about the content: in a folder, such a file is an
# input only when a reader recognizes it (a folder of saved pages holds other JSON and zips, too).
RECOGNIZED_IN_FOLDERS = frozenset(
    (".json", ".csv", ".zip", ".md", ".markdown", ".txt", ".uri", ".uris", ".url")
)

__all__ = [
    "BY_NAME",
    "READERS",
    "ReadOptions",
    "Reader",
    "detect",
    "expand",
    "input_files",
    "media_type",
    "read_files",
    "read_inputs",
]


def media_type(kind: str) -> str:
    """The media type of an input its reader `kind` read, as saved."""
    reader = BY_NAME.get(kind)
    return reader.media_type if reader else "application/octet-stream"


def detect(path: Path, head: bytes) -> Reader:
    """The reader for a file, by its first bytes; ArchiverError when none fits."""
    suffix = path.suffix.lower()
    best: tuple[int, int, int, Reader] | None = None
    for order, reader in enumerate(READERS):
        score = reader.sniff(head)
        if score <= 0:
            continue
        claims = int(suffix in reader.extensions)
        key = (score + claims, claims, -order, reader)
        if best is None or key[:3] > best[:3]:
            best = key
    if best is not None:
        return best[3]
    if head.startswith(ZIP_MAGIC) and not head.startswith(ZIP_MAGIC + b"\n"):
        # A zip's first bytes name only its first member: its readers look at every member's name.
        return detect(path, ZIP_MAGIC + b"\n" + "\n".join(member_names(path)).encode("utf-8", "replace"))
    if not head.strip():
        raise ArchiverError("empty file")
    if head.startswith(ZIP_MAGIC):
        raise ArchiverError("a zip that is not an export archiver reads (Pocket's, Omnivore's)")
    if looks_binary(head):
        raise ArchiverError("binary data, not a saved article (HTML, mail, mbox or MHTML)")
    raise ArchiverError(
        "not a format archiver reads (HTML, Reader View, .eml, .mbox, MHTML, a read-it-later export)"
    )


def expand(given: str) -> Iterator[tuple[Path, str]]:
    """(path, path as shown) for one input; a directory gives its supported files, recursively,
    sorted, leaving out the NAME_files/ folders that belong to a saved page."""
    root = Path(given)
    if not root.is_dir():
        yield root, given
        return
    found: list[tuple[str, Path]] = []
    for folder, subfolders, files in os.walk(root):
        names = set(files)
        subfolders[:] = sorted(
            d for d in subfolders if not d.startswith(".") and not _is_page_folder(d, names)
        )
        here: dict[str, Path] = {}
        claimed: set[str] = set()  # read by another input of this folder as its part
        for name in files:
            path = Path(folder) / name
            suffix = path.suffix.lower()
            if name.startswith(".") or suffix not in SUPPORTED_EXTENSIONS:
                continue
            if suffix in RECOGNIZED_IN_FOLDERS:
                reader = _recognized(path)
                if reader is None:
                    continue
                claimed.update(reader.companions)
            here[name] = path
        found += [
            (path.relative_to(root).as_posix(), path) for name, path in here.items() if name not in claimed
        ]
    for relative, path in sorted(found):
        yield path, os.path.join(given, relative)


def _recognized(path: Path) -> Reader | None:
    """The reader the file's content asks for, when it is one that reads files of its extension
    (notes in Markdown that merely mention some HTML are not saved pages)."""
    try:
        with path.open("rb") as handle:
            reader = detect(path, handle.read(HEAD_BYTES))
    except (ArchiverError, OSError):
        return None
    return reader if path.is_file() and path.suffix.lower() in reader.extensions else None


def _is_page_folder(folder: str, files: set[str]) -> bool:
    """ "Save Page As, complete" writes NAME.html beside NAME_files/ (or NAME-Dateien/, ...)."""
    for suffix in ("_files", "-Dateien", "_fichiers", "_archivos", "-bestanden", "_file"):
        if folder.endswith(suffix):
            stem = folder[: -len(suffix)]
            return any(f.startswith(stem + ".") for f in files)
    return False


def input_files(given: str) -> Iterator[tuple[Path, str] | Failure]:
    """(path, path as shown) of every file one input argument names, or why one cannot be read."""
    if not os.path.lexists(given):
        yield Failure(given, "no such file or directory")
        return
    root = Path(given).resolve() if os.path.isdir(given) else None
    for path, shown in expand(given):
        if root is not None and not path.resolve().is_relative_to(root):
            yield Failure(
                shown,
                "a symbolic link to a file outside the folder given; not read "
                "(name the file itself to read it)",
            )
            continue
        yield path, shown


def read_inputs(
    inputs: list[str], options: ReadOptions | None = None, jobs: int | None = 1
) -> Iterator[Article | Failure]:
    """Every article of every input, in order, read on up to `jobs` processes of this machine; a
    problem with one input is yielded as a Failure and the next input is read."""
    from ..runtime.runner import opened

    files = (item for given in inputs for item in input_files(given))
    with opened(jobs) as runner:  # one pool of workers for all of them
        yield from read_files(files, options or ReadOptions(), runner)


def read_files(
    files: Iterable[tuple[Path, str] | Failure], options: ReadOptions, runner: Runner
) -> Generator[Article | Failure, None, None]:
    """The articles of these files, in order, read where `runner` runs work: a mailbox is shared
    out message by message. Workers start only for work that repays their
    start; with a fetcher, everything is read here, where the fetcher records what it fetched."""
    rest = iter(files)
    ahead: list[tuple[Path, str] | Failure] = []
    # Bounded reading is never done in the caller's process (archiver/bounds.py): one worker at least.
    bounded = options.fetcher is None and options.bounds is not None
    worth_workers = options.fetcher is None and runner.cluster is not None  # a cluster is there already
    if options.fetcher is None and runner.jobs != 1 and not worth_workers:
        ahead, worth_workers = _look_ahead(rest)
    items = itertools.chain(ahead, rest)
    if not (worth_workers or bounded):
        for item in items:
            if isinstance(item, Failure):
                yield item
            else:
                yield from read_file(item[0], item[1], options)
        return
    # On a cluster, a Dask worker runs tasks on threads, where no alarm can be set and an address
    # space limit would bind its other tasks too: its nanny's memory limit bounds the reading there.
    bounds = None if runner.cluster else options.bounds
    task, lost = functools.partial(_read_task, bounds), functools.partial(_lost_apart, bounds, runner)
    tasks = _tasks(items, runner.store)
    with closing(
        (runner if worth_workers else runner.alone()).run_stream(task, tasks, [__name__], lost, bounded)
    ) as results:
        for result in results:
            yield from result


# Starting the workers (a fork server that imports the readers, then each worker) costs about
# 0.8 s, and two workers save at most half of the reading: below about 2 s of reading, one process
# is sooner. Reading costs about 10 ms a file and 0.3 s a MB of page (the corpus's 87 pages,
# 12.8 MB: 4.7 s); a mailbox's or an export's MB is many small articles, eight times that (a
# Pocket CSV of links: 2.9 s a MB).
WORKERS_FROM_SECONDS = 2.0
SECONDS_PER_FILE = 0.01
SECONDS_PER_MB = 0.3
MANY_ARTICLES_WEIGHT = 8


def _look_ahead(files: Iterator[tuple[Path, str] | Failure]) -> tuple[list[tuple[Path, str] | Failure], bool]:
    """The files taken from `files` until there is enough to read to start workers, and whether
    there is (False: `files` ended first, and every file is in the list)."""
    taken: list[tuple[Path, str] | Failure] = []
    seconds = 0.0
    for item in files:
        taken.append(item)
        seconds += SECONDS_PER_FILE
        if not isinstance(item, Failure):
            with contextlib.suppress(OSError):
                reader = _reader_of(item[0])
                many = reader is not None and reader.entries is not None
                weight = MANY_ARTICLES_WEIGHT if many else 1
                seconds += item[0].stat().st_size / 1e6 * SECONDS_PER_MB * weight
        if seconds >= WORKERS_FROM_SECONDS:
            return taken, True
    return taken, False


@dataclass(frozen=True)
class _Entries:
    """A batch of an input's entries (Reader.entries_per_task: one is too little work to be worth
    sending to another process)."""

    items: list[EntryItem]


Task = Failure | _Entries | StoredFile | tuple[Path, str]


def _tasks(files: Iterable[tuple[Path, str] | Failure], store: SharedStore | None) -> Iterator[Task]:
    """The work, in order: an input of many entries (a mailbox, an export) shared out by its
    entries (read here as a stream; the workers make the articles), any other file whole
    (through the cluster's store, when it has one: its workers do not reach this machine's
    files)."""
    putter = Putter(store) if store is not None else None
    for item in files:
        reader = None if isinstance(item, Failure) else _reader_of(item[0])
        if isinstance(item, Failure) or reader is None or reader.entries is None:
            if putter is None or isinstance(item, Failure):
                yield item
                continue
            try:
                yield putter.put(*item, reader or _detected(item[0]))  # None: _detected says why
            except Exception as exc:  # noqa: BLE001 - said as reading it would
                yield _failure(item[1], exc)
            continue
        try:
            yield from map(_Entries, _batches(reader.entries(*item), reader.entries_per_task))
        except Exception as exc:  # noqa: BLE001 - one broken input must not stop the collection
            yield _failure(item[1], exc)


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of `size` items; those read before a problem come out before it is raised."""
    batch: list[T] = []
    try:
        for item in items:
            batch.append(item)
            if len(batch) == size:
                yield batch
                batch = []
    except Exception:
        if batch:
            yield batch
        raise
    if batch:
        yield batch


def _read_task(bounds: ReadBounds | None, task: Task) -> list[Article | Failure]:
    """A task's articles, each input or entry read under `bounds` (in a worker)."""
    if isinstance(task, Failure):
        return [task]
    if bounds is not None:
        _warmed()
    if isinstance(task, _Entries):
        return [
            result
            for item in task.items
            for result in _within(bounds, *_entry_place(item), _entry_reader(item))
        ]
    if isinstance(task, StoredFile):
        return _within(bounds, task.shown, None, lambda: _read_stored(task))
    path, shown = task
    return _within(bounds, shown, None, lambda: list(_read_as_given(path, shown, ReadOptions(bounds=None))))


# A page that takes every path an article's reading takes the first time: the extractors' imports
# and the date parsers (about 0.3 s of CPU, once per worker). The language model (0.5 s more) is
# loaded only by a worker that meets an article needing it, after that input's deadline (_within).
_WARM_PAGE = (
    "<html><head><title>Warm</title><meta name='date' content='2024-01-02'></head><body>"
    "<article><h1>Warm</h1><p>Published 2 January 2024.</p>"
    + "<p>Reading starts here so that the first input's deadline measures its own reading.</p>" * 8
    + "</article></body></html>"
)


@functools.cache
def _warmed() -> None:
    """A reading worker's first use of what every article needs, paid once before the first
    input's deadline starts: on a busy machine it alone took longer than a short deadline."""
    from ..html.article import build_article
    from ..images.resolve import ResolveContext
    from ..model import Source

    build_article(_WARM_PAGE, Source("warm-up", "html", "0" * 64, 0), ResolveContext())


def _within(
    bounds: ReadBounds | None, shown: str, locator: str | None, read: Callable[[], list[Article | Failure]]
) -> list[Article | Failure]:
    """What `read` gives, or the bound it went past, as that input's (message's, entry's) failure.
    The articles are finished after the deadline: telling a language reads a bounded sample, and
    the first article that needs the model does not pay its loading out of its own time."""
    if bounds is None:
        return list(map(_finished, read()))
    try:
        with bounded(bounds) as watch:
            items = read()
    except (OverTime, MemoryError) as exc:
        return [Failure(shown, exceeded(exc) or "", locator)]
    if watch.hit_memory():  # failed as a C library says it, when an allocation fails
        items = [replace(i, problem=out_of_memory()) if isinstance(i, Failure) else i for i in items]
    return list(map(_finished, items))


def _entry_reader(item: EntryItem) -> Callable[[], list[Article | Failure]]:
    return lambda: list(entry_articles([item], None))


def _entry_place(item: EntryItem) -> tuple[str, str | None]:
    return (item.path, item.locator) if isinstance(item, Failure) else (item[0].path, item[0].locator)


def _read_stored(task: StoredFile) -> list[Article | Failure]:
    try:
        with copied(task) as path:
            beside = StoredFolder(task.store, task.beside)
            return list(_read_as_given(path, task.shown, ReadOptions(files_beside=beside, bounds=None)))
    except Exception as exc:  # noqa: BLE001 - the store could not give it back
        return [_failure(task.shown, exc)]


def _lost_apart(
    bounds: ReadBounds | None, runner: Runner, task: Task, exc: BaseException
) -> list[Article | Failure]:
    """A batch whose worker died, read again an entry at a time, each in a worker of its own
    (here, or on the cluster), so that only the one that kills its worker is lost."""
    alone: list[Task] = [_Entries([item]) for item in task.items] if isinstance(task, _Entries) else []
    if len(alone) <= 1:
        return _lost(task, exc)
    runs = runner.alone().run_stream(
        functools.partial(_read_task, bounds), alone, [__name__], _lost, isolated=bounds is not None
    )
    with closing(runs) as results:
        return [item for result in results for item in result]


def _lost(task: Task, exc: BaseException) -> list[Article | Failure]:
    """A task whose worker died (on the cluster, each time it was tried; here, also when it was
    read again alone): its inputs, as failures."""
    why = f"its worker died on every try ({type(exc).__name__}: killed past its bounds, or a crash); not read"
    if isinstance(task, Failure):
        return [task]
    if isinstance(task, _Entries):
        return [
            item
            if isinstance(item, Failure)
            else Failure(item[0].path, f"{item[1].noun} {item[0].entry_index}: {why}", item[0].locator)
            for item in task.items
        ]
    return [Failure(task.shown if isinstance(task, StoredFile) else task[1], why)]


def _reader_of(path: Path) -> Reader | None:
    try:
        return _detected(path)
    except (ArchiverError, OSError):
        return None  # read_file says why, in the worker


def _detected(path: Path) -> Reader:
    if not path.is_file():  # before opening it: a named pipe or a device would block or never end
        raise ArchiverError("not a regular file" if path.exists() else "no such file (a broken link?)")
    with path.open("rb") as handle:
        return detect(path, handle.read(HEAD_BYTES))


def read_file(path: Path, shown: str, options: ReadOptions) -> Iterator[Article | Failure]:
    return map(_finished, _read_as_given(path, shown, options))


def _read_as_given(path: Path, shown: str, options: ReadOptions) -> Iterator[Article | Failure]:
    """The file's articles as its reader gives them, not yet finished."""
    try:
        yield from _detected(path).read(path, shown, options)
    except Exception as exc:  # noqa: BLE001 - one broken input must not stop the collection
        yield _failure(shown, exc)


def _finished(item: Article | Failure) -> Article | Failure:
    """What every reader's article gets alike: a language, when the input states none."""
    return with_language(item) if isinstance(item, Article) else item


def _failure(shown: str, exc: Exception) -> Failure:
    """Why an input could not be read, as a user can act on it."""
    if (bound := exceeded(exc)) is not None:
        return Failure(shown, bound)
    if isinstance(exc, ArchiverError):
        return Failure(shown, str(exc))
    if isinstance(exc, OSError):
        return Failure(shown, exc.strerror or str(exc))
    if isinstance(exc, RecursionError):
        return Failure(shown, "structure nested too deeply to read")
    return Failure(shown, unexpected(exc))
