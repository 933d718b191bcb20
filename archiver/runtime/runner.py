"""Where the per-article work runs: this process, this machine's worker processes, or a Dask
cluster with its store.

One Runner is opened for each read or export and passed down with the options: nothing finds it
in a context variable or a module global, so two exports iterated side by side each go where
they were sent. Closing it closes what it opened: its handle on the fork server, its cluster
connection.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import TypeVar

from . import cluster as on_cluster
from . import parallel
from .cluster import Client
from .parallel import ForkServer
from .shared_store import SharedStore

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class Runner:
    jobs: int | None = None  # processes on this machine; None: every core; 1: this one
    cluster: Client | None = None  # a Dask client: the work goes there, whatever `jobs` says
    store: SharedStore | None = None  # what the cluster's workers exchange files through; None: the disk
    server: ForkServer = field(default_factory=ForkServer, compare=False)  # this machine's workers

    def alone(self) -> Runner:
        """The same place with one process here (a task's work in a worker, a small job); the
        cluster, when there is one, still takes it."""
        return replace(self, jobs=1)

    def run_all(
        self,
        function: Callable[[T], R],
        items: Sequence[T],
        preload: Sequence[str] = (),
        cost: Callable[[T], int] | None = None,
        lost: Callable[[T, BaseException], R] | None = None,
    ) -> list[R]:
        """function(item) for each item, in order (parallel.run_all; on the cluster, `lost`
        gives the result of a task it could not run)."""
        if self.cluster is not None and items:
            return on_cluster.run_all(self.cluster, function, items, lost)
        return parallel.run_all(function, items, self.jobs, self.server, preload, cost)

    def run_stream(
        self,
        function: Callable[[T], R],
        items: Iterable[T],
        preload: Sequence[str] = (),
        lost: Callable[[T, BaseException], R] | None = None,
        isolated: bool = False,
    ) -> Generator[R, None, None]:
        """function(item) for each item, in order, taking items as workers become free
        (parallel.run_stream)."""
        if self.cluster is not None:
            yield from on_cluster.run_stream(self.cluster, function, items, lost)
        else:
            yield from parallel.run_stream(function, items, self.jobs, self.server, preload, lost, isolated)


@contextmanager
def opened(
    jobs: int | None = None, scheduler: str | None = None, store: str | None = None, warm: Sequence[str] = ()
) -> Iterator[Runner]:
    """A Runner on the cluster at `scheduler` (with the store at `store`, an fsspec URL), or on
    this machine, its fork server started at once with `warm` imported when it will be needed;
    closed after the block."""
    if scheduler:
        with on_cluster.connected(scheduler, store) as (client, shared):
            yield Runner(jobs, client, shared)
        return
    server = ForkServer(warm)
    if warm and jobs != 1:  # started now, it warms up while this process finds the work
        server.start()
    try:
        yield Runner(jobs, server=server)
    finally:
        server.close()
