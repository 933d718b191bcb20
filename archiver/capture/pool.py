"""Many captures at once, politely: a bounded number of connections overall and to each host,
results in the order the work was given, and only a bounded window of work in flight, so that
thousands of links take no more memory than a few."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import TypeVar
from urllib.parse import urlsplit

T = TypeVar("T")
R = TypeVar("R")


class HostSlots:
    """At most `per_host` connections to one host at a time."""

    def __init__(self, per_host: int) -> None:
        self.per_host = per_host
        self._lock = threading.Lock()
        self._slots: dict[str, threading.BoundedSemaphore] = {}

    @contextmanager
    def held(self, url: str) -> Iterator[None]:
        host = (urlsplit(url).hostname or "").lower()
        with self._lock:
            slot = self._slots.setdefault(host, threading.BoundedSemaphore(self.per_host))
        with slot:
            yield


def in_order(
    work: Iterable[T], job: Callable[[T], R], threads: int, window: int | None = None
) -> Iterator[tuple[T, R]]:
    """(item, job(item)) for each item, in the items' order, `threads` jobs at a time and at most
    `window` started ahead of the one being waited for. Closing the iterator (Ctrl-C) cancels
    the jobs not started and waits for the running ones."""
    ahead = window or threads * 4
    pending: deque[tuple[T, Future[R]]] = deque()
    items = iter(work)
    with ThreadPoolExecutor(max_workers=threads, thread_name_prefix="capture") as pool:
        try:
            for item in items:
                pending.append((item, pool.submit(job, item)))
                if len(pending) >= ahead:
                    first, future = pending.popleft()
                    yield first, future.result()
            while pending:
                first, future = pending.popleft()
                yield first, future.result()
        finally:
            for _, future in pending:
                future.cancel()
