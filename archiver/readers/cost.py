"""Whether reading a collection repays starting worker processes: a cost model, measured."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from ..model import Failure
from .registry import reader_of

# Starting the workers (a fork server that imports the readers, then each worker) costs about
# 0.8 s, and two workers save at most half of the reading: below about 2 s of reading, one process
# is sooner. Reading costs about 10 ms a file and 0.3 s a MB of page (the corpus's 87 pages,
# 12.8 MB: 4.7 s); a mailbox's or an export's MB is many small articles, eight times that (a
# Pocket CSV of links: 2.9 s a MB).
WORKERS_FROM_SECONDS = 2.0
SECONDS_PER_FILE = 0.01
SECONDS_PER_MB = 0.3
MANY_ARTICLES_WEIGHT = 8


def look_ahead(files: Iterator[tuple[Path, str] | Failure]) -> tuple[list[tuple[Path, str] | Failure], bool]:
    """The files taken from `files` until there is enough to read to start workers, and whether
    there is (False: `files` ended first, and every file is in the list)."""
    taken: list[tuple[Path, str] | Failure] = []
    seconds = 0.0
    for item in files:
        taken.append(item)
        seconds += SECONDS_PER_FILE
        if not isinstance(item, Failure):
            with contextlib.suppress(OSError):
                reader = reader_of(item[0])
                many = reader is not None and reader.entries is not None
                weight = MANY_ARTICLES_WEIGHT if many else 1
                seconds += item[0].stat().st_size / 1e6 * SECONDS_PER_MB * weight
        if seconds >= WORKERS_FROM_SECONDS:
            return taken, True
    return taken, False
