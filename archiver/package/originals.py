"""The bytes of each article's input as it was saved, read again when an output needs them
(the WARC stores them whole); the model does not keep them, so a mailbox is never held twice."""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ..errors import ArchiverError
from ..hashing import sha256_file
from ..model import Source
from ..readers import BY_NAME
from ..readers.mbox import message_at, split_messages


class Originals:
    def __init__(self) -> None:
        self._spans: dict[str, list[tuple[int, int]]] = {}  # mailbox -> each message's offsets
        # An export's entries are read as a stream, in order, as its articles arrive: a cursor
        # (export, next index, the rest) holds one entry at a time, not the export.
        self._cursor: tuple[str, int, Iterator[bytes]] | None = None

    def read(self, source: Source) -> bytes:
        """The input's bytes (one message's, for a mailbox; one entry's, for an export);
        ArchiverError if the file changed since it was read, for then it is no longer what the
        article came from."""
        path = Path(source.path)
        if source.mbox_index is not None:
            if source.path not in self._spans:  # one pass over the mailbox, keeping offsets, not messages
                _check_unchanged(path, source)
                with path.open("rb") as handle:
                    self._spans[source.path] = [(start, end) for start, end, _ in split_messages(handle)]
            with path.open("rb") as handle:
                return message_at(handle, *self._spans[source.path][source.mbox_index])
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
        if self._cursor is None or self._cursor[0] != source.path or self._cursor[1] > index:
            _check_unchanged(path, source)
            self._cursor = (source.path, 0, iter(entries(path)))
        _, at, rest = self._cursor
        found = next(itertools.islice(rest, index - at, None), None)
        if found is None:
            self._cursor = None
            raise ArchiverError(f"{source.path} has no entry {index}: it changed since it was read")
        self._cursor = (source.path, index + 1, rest)
        return found


def _check_unchanged(path: Path, source: Source) -> None:
    if sha256_file(path)[0] != source.sha256:
        raise ArchiverError(f"{source.path} changed since it was read")
