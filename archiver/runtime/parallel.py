"""Running independent jobs in worker processes, results in input order.

Workers start from a fork server that has already imported the heavy modules, so each worker
is cheap to start and no worker inherits the parent's threads (rich's progress bar has one).
The fork server is held through a ForkServer handle (runner.py makes one per read or export, and
closes it): multiprocessing keeps one fork server per process, so it runs from the first open
handle's start to the last one's close, and nothing of it outlives the work.

Ctrl-C is held back while a pool starts or stops a worker: a start interrupted after the fork
server had forked left a worker that the pool did not know, which kept the caller's pipes open,
or took another worker's stop message so that the exit waited for that one forever.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from multiprocessing import forkserver, resource_tracker
from typing import Any, TypeVar

from . import interrupts
from .preload import QUIET

T = TypeVar("T")
R = TypeVar("R")
IN_FLIGHT = 4  # items submitted per worker ahead of the one being collected
# Fresh workers after this many items each: WeasyPrint's caches grew a worker past 1 GB over 5,000
# renders. (ProcessPoolExecutor's own max_tasks_per_child hung an export on Python 3.11.)
ITEMS_PER_WORKER = 250


def available_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def run_all(
    function: Callable[[T], R],
    items: Sequence[T],
    jobs: int | None,
    server: ForkServer,
    preload: Sequence[str] = (),
    cost: Callable[[T], int] | None = None,
) -> list[R]:
    """function(item) for each item, in order, on up to `jobs` processes (None: every core).
    With `cost`, the costliest items start first, so that no big one is left to run alone at
    the end. One job runs here without starting any process, and so does one item, unless the
    fork server was started with `preload` warm (its workers start warm, and this process is
    not)."""
    workers = min(jobs or available_cores(), len(items))
    if jobs == 1 or (workers <= 1 and not (items and server.warm_with(preload))):
        return list(map(function, items))
    order = sorted(range(len(items)), key=lambda n: -cost(items[n])) if cost else list(range(len(items)))
    results: dict[int, R] = {}
    for first in range(0, len(order), ITEMS_PER_WORKER * workers):
        with _pool(workers, server, preload) as pool:
            batch = order[first : first + ITEMS_PER_WORKER * workers]
            futures = {n: _submit(pool, function, items[n]) for n in batch}
            results.update((n, future.result()) for n, future in futures.items())
    return [results[n] for n in range(len(items))]


def run_stream(
    function: Callable[[T], R],
    items: Iterable[T],
    jobs: int | None,
    server: ForkServer,
    preload: Sequence[str] = (),
    lost: Callable[[T, BaseException], R] | None = None,
    isolated: bool = False,
) -> Generator[R, None, None]:
    """function(item) for each item, in order, on up to `jobs` processes, taking items only as
    workers become free: a mailbox of a million messages is never held whole, here or in flight.
    With `isolated`, never in this process, even for one job. A worker that dies (killed past its
    bounds, or a crash) breaks its pool: the items in flight are run again, each alone in a fresh
    worker, so that only the one that kills its worker again is lost (`lost` gives its result),
    and a fresh pool takes the rest."""
    workers = jobs or available_cores()
    if workers <= 1 and not isolated:
        yield from map(function, items)
        return
    rest = iter(items)
    while True:
        again: list[T] = []
        with _pool(workers, server, preload) as pool:
            window: deque[tuple[T, Future[R]]] = deque()
            for item in itertools.chain(rest, [_END]):
                if item is not _END:
                    window.append((item, _submit(pool, function, item)))
                while window and (item is _END or len(window) >= IN_FLIGHT * workers):
                    try:
                        result = window[0][1].result()
                    except BrokenProcessPool:
                        again = [waiting for waiting, _ in window]
                        break
                    window.popleft()
                    yield result
                if again:
                    break
        if not again:
            return
        for item in again:
            yield _alone(function, item, server, preload, lost)


_END: Any = object()  # after the last item: every result still in flight is collected


def _alone(
    function: Callable[[T], R],
    item: T,
    server: ForkServer,
    preload: Sequence[str],
    lost: Callable[[T, BaseException], R] | None,
) -> R:
    """function(item) in a worker of its own, after a pool broke with it in flight."""
    with _pool(1, server, preload) as pool:
        try:
            return _submit(pool, function, item).result()
        except BrokenProcessPool as exc:
            if lost is None:
                raise
            return lost(item, exc)


class ForkServer:
    """A handle on this process's fork server, which it starts with `warm` imported (a PDF's
    render modules, warmed: pdf/__init__.py), or joins when it runs already. `start` may come
    early, so that the server warms up while this process does other things; a pool starts it
    when nobody has. `close` stops it when no other handle is open."""

    def __init__(self, warm: Sequence[str] = ()) -> None:
        self._warm = tuple(warm)
        self._open = False

    def start(self, also: Sequence[str] = ()) -> ForkServer:
        """The server running, with `also` imported too when this starts it."""
        if not self._open:
            _SERVER.open((*self._warm, *(m for m in also if m not in self._warm)))
            self._open = True
        return self

    def warm_with(self, preload: Sequence[str]) -> bool:
        """Whether the running server imported every module of `preload` before it forked."""
        return self._open and _SERVER.holds(preload)

    def close(self) -> None:
        if self._open:
            self._open = False
            _SERVER.close()


class _Server:
    """multiprocessing's one fork server of this process, counted by the handles open on it: the
    first starts it (with its modules), the last stops it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._handles = 0
        self._warm: tuple[str, ...] = ()

    def open(self, warm: tuple[str, ...]) -> None:
        with self._lock:
            if self._handles == 0:
                self._warm = (QUIET, *warm)
                _start(self._warm)
            self._handles += 1

    def holds(self, modules: Sequence[str]) -> bool:
        return all(module in self._warm for module in modules)

    def close(self) -> None:
        with self._lock:
            self._handles -= 1
            if self._handles == 0:
                # multiprocessing stops its fork server only for its own tests (_stop); without
                # it, the server ends with this process, as it always did.
                stop = getattr(getattr(forkserver, "_forkserver", None), "_stop", None)
                if callable(stop):
                    with interrupts.held():
                        stop()


_SERVER = _Server()


def _start(preload: Sequence[str]) -> None:
    """The fork server, started with `preload` imported."""
    forkserver.set_forkserver_preload(list(preload))
    with interrupts.held():
        # Blocked, not ignored, while the fork server starts: it inherits the mask, and a Ctrl-C
        # pending there is dropped once its first program ignores it; this process gets its own
        # later. (The resource tracker first: starting it unblocks SIGINT rather than restoring
        # the mask.)
        resource_tracker.ensure_running()
        unblocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            forkserver.ensure_running()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, unblocked)


@contextmanager
def _pool(workers: int, server: ForkServer, preload: Sequence[str]) -> Iterator[ProcessPoolExecutor]:
    """Workers from the fork server, ignoring Ctrl-C (preload/quiet.py); the server started
    with `preload` if this pool starts it (else each worker imports its tasks' modules). On
    Ctrl-C, or any error, this process cancels what has not started, waits for what has
    (seconds), and stops; no worker prints a traceback."""
    server.start(preload)
    with interrupts.held():
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("forkserver"))
    try:
        yield pool
    except BaseException:
        with interrupts.held():
            pool.shutdown(wait=True, cancel_futures=True)
        raise
    with interrupts.held():
        pool.shutdown()


def _submit(pool: ProcessPoolExecutor, function: Callable[[T], R], item: T) -> Future[R]:
    with interrupts.held():  # a submit may start a worker
        return pool.submit(function, item)
