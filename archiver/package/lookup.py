"""A package's indexes opened for reading, by a command that writes nothing (search, verify):
read-only, so that it never waits on an export or changes what one left."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..errors import ArchiverError
from ..exporters.site.names import page_name
from ..search import store as search_index
from . import INDEX, STATE_FOLDER
from .store import ObjectStore


@dataclass(frozen=True)
class Opened:
    db: sqlite3.Connection  # the package's index, with its search index attached as `search`
    store: ObjectStore
    payload: Path  # where its outputs are
    searchable: search_index.Status


@contextmanager
def opened(folder: Path, thorough: bool = False) -> Iterator[Opened]:
    """The package in `folder`, and how current its search index is (search/store.py's status,
    `thorough` or by counts)."""
    state = folder / STATE_FOLDER
    path = state / INDEX
    if not path.is_file():
        raise ArchiverError(f"{folder} holds no package (no {path}): export into it first")
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
    try:
        present = search_index.attach(db, state, readonly=True)
        status = search_index.status(db, thorough) if present else search_index.Status(False, 0, 0)
        payload = folder / "data" if (folder / "bagit.txt").is_file() else folder
        yield Opened(db, ObjectStore(state / "objects"), payload, status)
    finally:
        db.close()


def places(db: sqlite3.Connection, position: int, title: str | None) -> list[str]:
    """Where the package's outputs hold an article as it is now: each file's path in the
    payload, and for the site, the article's own page."""
    found = []
    for name, format_name in db.execute(
        "SELECT o.name, o.format FROM held h JOIN articles a USING (position) JOIN outputs o"
        " ON o.name = h.output WHERE h.position = ? AND h.digest = a.digest ORDER BY o.name",
        (position,),
    ):
        found.append(f"{name}/articles/{page_name(position, title)}" if format_name == "html" else name)
    return found
