"""The per-article work on a Dask distributed cluster (`--cluster ADDRESS`, or ARCHIVER_CLUSTER).

What runs on the cluster is exactly what runs on this machine's worker processes (parallel.py;
runner.py sends the work to one or the other):
reading a file or a batch of mailbox messages or export entries, rendering one article's PDF
part, so an export on a cluster gives the same bytes as one here. The coordinator (this process)
does what is done once: ordering, deduplication, binding, the WARC, the manifest, the commit.

Bytes go where Dask sends them, never through its scheduler: each task's payload is scattered to
a worker directly, results come back from the worker directly. Files go through the file system
the workers share with this machine (they read the inputs and write the PDF parts into the
package's render cache), or, with a store (`--store`, shared_store.py), only through that store.
A worker that dies is replaced and its tasks run again
elsewhere, by Dask; a task that loses its worker every time (ALLOWED_FAILURES) is reported like
any input that cannot be read. Ctrl-C cancels the tasks on the cluster; the package is untouched.
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeAlias, TypeVar

from ..errors import ArchiverError
from .shared_store import SharedStore, opened

# distributed's Client and Future: typed loosely, since distributed itself is only partly typed
# and is installed only with archiver[cluster].
Client: TypeAlias = Any
Future: TypeAlias = Any

ENVIRONMENT = "ARCHIVER_CLUSTER"
INSTALL = "pip install 'archiver[cluster]'"
IN_FLIGHT = 4  # tasks submitted per worker thread ahead of the one being collected
TRIES = 3  # submissions of one task before it is reported as lost (each may lose workers)
T = TypeVar("T")
R = TypeVar("R")
Lost = Callable[[T, BaseException], R]  # a task's result when the cluster could not run it


def address(given: str | None) -> str | None:
    """The scheduler's address: the option's, else ARCHIVER_CLUSTER's; None: this machine."""
    return given or os.environ.get(ENVIRONMENT) or None


@contextmanager
def connected(scheduler: str, store: str | None = None) -> Iterator[tuple[Client, SharedStore | None]]:
    """A client of the cluster at `scheduler`, and with `store` (an fsspec URL) the store its
    workers get files through instead of the file system; closed after the block."""
    shared = opened(store) if store else None
    try:
        import distributed
    except ImportError:
        raise ArchiverError(f"--cluster needs Dask distributed: {INSTALL}") from None
    try:
        client: Client = distributed.Client(scheduler, set_as_default=False, timeout="10s")  # type: ignore[no-untyped-call]
    except OSError as exc:
        raise ArchiverError(f"no Dask scheduler answers at {scheduler} ({exc})") from exc
    try:
        yield client, shared
    finally:
        client.close()


def run_all(
    client: Client, function: Callable[[T], R], items: Sequence[T], lost: Lost[T, R] | None = None
) -> list[R]:
    """function(item) for each item on the cluster, in order."""
    return list(run_stream(client, function, items, lost))


def run_stream(
    client: Client, function: Callable[[T], R], items: Iterable[T], lost: Lost[T, R] | None = None
) -> Generator[R, None, None]:
    """function(item) for each item on the cluster, in order, a few tasks per worker thread in
    flight: a mailbox of a million messages is never held whole, here or there."""
    threads = max(1, sum(client.nthreads().values()))
    window: deque[tuple[T, Future]] = deque()
    try:
        for item in items:
            window.append((item, _submit(client, function, item)))
            if len(window) >= IN_FLIGHT * threads:
                yield _result(client, function, *window.popleft(), lost)
        while window:
            yield _result(client, function, *window.popleft(), lost)
    except BaseException:
        client.cancel([future for _, future in window], force=True)  # Ctrl-C, or the caller stopped
        raise


def _submit(client: Client, function: Callable[[T], Any], item: T) -> Future:
    """The task, its payload sent straight to a worker, not through the scheduler. A worker that
    has just died may still be chosen to receive it, until the scheduler notices (a second or
    so): the payload is sent again, to one of the others."""
    for attempt in range(1, TRIES + 1):
        try:
            payload = client.scatter(item, hash=False)
            return client.submit(function, payload, pure=False)
        except OSError:  # distributed's CommClosedError: the chosen worker is gone
            if attempt == TRIES:
                raise
            time.sleep(attempt)
    raise AssertionError("unreachable")


def _result(
    client: Client, function: Callable[[T], R], item: T, future: Future, lost: Lost[T, R] | None
) -> R:
    """The task's result. When its worker died (Dask runs it again elsewhere, unless the worker
    held its payload too), it is submitted again from here, TRIES times in all."""
    failure: Exception | None = None
    for attempt in range(1, TRIES + 1):
        try:
            result: R = future.result()
            return result
        except Exception as exc:  # noqa: BLE001 - KilledWorker, lost data: whatever took the task
            failure = exc
        finally:
            future.release()
        if attempt < TRIES:
            future = _submit(client, function, item)
    assert failure is not None
    if lost is None:
        raise failure
    return lost(item, failure)
