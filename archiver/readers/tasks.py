"""Reading: each input file's articles, in order, read here or where a Runner runs work, each
input (and each entry of an input of many) within the reading bounds (archiver/bounds.py)."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

from ..bounds import OverTime, ReadBounds, bounded, exceeded, out_of_memory
from ..errors import ArchiverError, unexpected
from ..language import with_language
from ..model import Article, Failure
from ..runtime.runner import Runner, opened
from ..runtime.shared_store import SharedStore
from .base import ReadOptions
from .cost import look_ahead
from .discovery import input_files
from .entries import EntryItem, entry_articles
from .registry import detected, reader_of
from .stored import Putter, StoredFile, StoredFolder, copied

T = TypeVar("T")
PRELOAD = [__package__ or __name__]  # what a reading worker imports: every reader


def read_inputs(
    inputs: list[str], options: ReadOptions | None = None, jobs: int | None = 1
) -> Iterator[Article | Failure]:
    """Every article of every input, in order, read on up to `jobs` processes of this machine; a
    problem with one input is yielded as a Failure and the next input is read."""
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
        ahead, worth_workers = look_ahead(rest)
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
        (runner if worth_workers else runner.alone()).run_stream(task, tasks, PRELOAD, lost, bounded)
    ) as results:
        for result in results:
            yield from result


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
        reader = None if isinstance(item, Failure) else reader_of(item[0])
        if isinstance(item, Failure) or reader is None or reader.entries is None:
            if putter is None or isinstance(item, Failure):
                yield item
                continue
            try:
                yield putter.put(*item, reader or detected(item[0]))  # None: _detected says why
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
        functools.partial(_read_task, bounds), alone, PRELOAD, _lost, isolated=bounds is not None
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


def read_file(path: Path, shown: str, options: ReadOptions) -> Iterator[Article | Failure]:
    return map(_finished, _read_as_given(path, shown, options))


def _read_as_given(path: Path, shown: str, options: ReadOptions) -> Iterator[Article | Failure]:
    """The file's articles as its reader gives them, not yet finished."""
    try:
        yield from detected(path).read(path, shown, options)
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
