"""Input files through a cluster's store (`--store`), for workers that cannot reach them.

The coordinator puts a file in the store and sends its digest; the worker reads a copy of it
under the same name (its extension is part of what detects its format), so that its articles
are the ones this machine would make. A saved page may show any image in its folder: for a
reader that reads beside its input, the folder's images go to the store too, and a listing of the
folder (relative path: digest) stands in for it; a file the page names that is not an image, or
too large, is listed with why it is refused, in the words reading it here would give.
"""

from __future__ import annotations

import json
import os
import posixpath
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..errors import ArchiverError
from ..hashing import sha256_file
from ..images.resolve import MAX_RESOURCE_BYTES, OUTSIDE, TOO_LARGE, not_an_image, unreadable
from ..images.sniff import sniff_image
from ..runtime.shared_store import SharedStore
from .base import Reader

SNIFF_BYTES = 4096  # all of a file that sniff_image looks at


@dataclass(frozen=True)
class StoredFile:
    """A whole input file in the store, as a worker's task."""

    name: str  # its file name
    shown: str  # its path as the user gave it
    digest: str
    beside: str | None  # the digest of its folder's listing, for a reader that reads beside it
    store: SharedStore


@dataclass
class Putter:
    """Puts input files in the store, each folder listed once per export."""

    store: SharedStore
    _listings: dict[Path, str] = field(default_factory=dict)

    def put(self, path: Path, shown: str, reader: Reader) -> StoredFile:
        digest, _ = sha256_file(path)
        self.store.put_file(path, digest)
        beside = None
        if reader.reads_beside:
            folder = path.parent
            if folder not in self._listings:
                listed = {"root": folder.resolve().as_posix(), "files": _listing(folder, self.store)}
                listing = json.dumps(listed, sort_keys=True).encode()
                self._listings[folder] = self.store.put(listing)
            beside = self._listings[folder]
        return StoredFile(path.name, shown, digest, beside, self.store)


@contextmanager
def copied(task: StoredFile) -> Iterator[Path]:
    """The input, copied from the store under its own name into a folder of its own; gone after."""
    with tempfile.TemporaryDirectory(prefix="archiver-input-") as folder:
        path = Path(folder) / task.name
        task.store.get_file(task.digest, path)
        yield path


@dataclass(frozen=True)
class StoredFolder:
    """A page's folder as its listing in the store describes it (LocalFiles)."""

    store: SharedStore
    listing: str | None  # None: the reader reads nothing beside its input

    def read(self, relative: str) -> bytes | None:
        if "\0" in relative:
            raise ArchiverError(unreadable(ValueError()))
        if self.listing is None:
            if posixpath.normpath(relative).split("/")[0] == "..":
                raise ArchiverError(OUTSIDE)
            return None
        root, files = _fetched_listing(self.store, self.listing)
        # as on the disk, a path may climb out of the folder and back in by the folder's own name
        target = posixpath.normpath(posixpath.join(root, relative))
        if target != root and not target.startswith(f"{root.rstrip('/')}/"):
            raise ArchiverError(OUTSIDE)
        entry = files.get(posixpath.relpath(target, root))
        if entry is None:
            return None
        digest, refused = entry
        if refused:
            raise ArchiverError(refused)
        return self.store.get(digest)


@lru_cache(maxsize=16)
def _fetched_listing(store: SharedStore, digest: str) -> tuple[str, dict[str, tuple[str, str]]]:
    """A listing, once per worker: every page of a folder shares it. The folder's real path on the
    coordinator, and its files."""
    listing = json.loads(store.get(digest))
    return listing["root"], {name: (entry[0], entry[1]) for name, entry in listing["files"].items()}


def _listing(folder: Path, store: SharedStore) -> dict[str, tuple[str, str]]:
    """{relative path: (digest, "")} of each image under `folder`, put in the store; (“”, why) of
    each other file, which a page's reference may name but which is never read from there."""
    root = folder.resolve()
    listed: dict[str, tuple[str, str]] = {}
    seen: set[Path] = set()
    for here, folders, files in os.walk(folder, followlinks=True):
        real = Path(here).resolve()
        if real in seen or not real.is_relative_to(root):  # a link loop, or a link out of the folder
            folders.clear()
            continue
        seen.add(real)
        for name in files:
            path = Path(here) / name
            if (entry := _entry(path, root, store)) is not None:
                listed[path.relative_to(folder).as_posix()] = entry
    return listed


def _entry(path: Path, root: Path, store: SharedStore) -> tuple[str, str] | None:
    """What reading `path` as a page's image here would give: its digest, or why it is refused
    (in FolderFiles's and the resolver's own words); None: it is not a file to read."""
    try:
        real = path.resolve()
        if not real.is_relative_to(root):
            return "", OUTSIDE
        if not real.is_file():
            return None
        size = real.stat().st_size
        if size > MAX_RESOURCE_BYTES:
            return "", TOO_LARGE
        with real.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
        if sniff_image(head) is None:
            return "", not_an_image(f"{size} bytes")
        digest, _ = sha256_file(real)
        store.put_file(real, digest)
        return digest, ""
    except (OSError, ValueError, RuntimeError) as exc:
        return "", unreadable(exc)
