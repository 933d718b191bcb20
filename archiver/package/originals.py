"""The bytes of each article's input as it was saved, read again when an output needs them
(the WARC stores them whole); the model does not keep them, so a mailbox is never held twice."""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from ..errors import ArchiverError
from ..hashing import sha256_file
from ..model import Source
from ..readers import BY_NAME


class Originals:
    def __init__(self) -> None:
        # An input of many entries that can give any one at once (a mailbox's offsets), by path.
        self._indexed: dict[str, Sequence[bytes]] = {}
        # The others' entries are read as a stream, in order, as their articles arrive: a cursor
        # (input, next index, the rest) holds one entry at a time, not the input.
        self._cursor: tuple[str, int, Iterator[bytes]] | None = None

    def read(self, source: Source) -> bytes:
        """The input's bytes (one entry's, for an input of many: a mailbox's message, an export's
        item); ArchiverError if the file changed since it was read, for then it is no longer what
        the article came from."""
        path = Path(source.path)
        if source.entry_index is not None:
            entries = BY_NAME[source.kind].entry_originals
            if entries is None:
                raise ArchiverError(f"{source.path}: the {source.kind} reader has no entries")
            return self._entry(path, source, entries)
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != source.sha256:
            raise ArchiverError(f"{source.path} changed since it was read")
        return data

    def _entry(self, path: Path, source: Source, entries: Callable[[Path], Iterable[bytes]]) -> bytes:
        index = source.entry_index or 0
        if source.path in self._indexed:
            return self._indexed[source.path][index]
        if self._cursor is None or self._cursor[0] != source.path or self._cursor[1] > index:
            _check_unchanged(path, source)
            found = entries(path)
            if isinstance(found, Sequence):
                indexed: Sequence[bytes] = found
                self._indexed[source.path] = indexed
                return indexed[index]
            self._cursor = (source.path, 0, iter(found))
        _, at, rest = self._cursor
        entry = next(itertools.islice(rest, index - at, None), None)
        if entry is None:
            self._cursor = None
            raise ArchiverError(f"{source.path} has no entry {index}: it changed since it was read")
        self._cursor = (source.path, index + 1, rest)
        return entry


def _check_unchanged(path: Path, source: Source) -> None:
    if sha256_file(path)[0] != source.sha256:
        raise ArchiverError(f"{source.path} changed since it was read")
