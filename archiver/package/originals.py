"""The bytes of each article's input as it was saved, read again when an output needs them
(the WARC stores them whole); the model does not keep them, so a mailbox is never held twice."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..errors import ArchiverError
from ..hashing import sha256_file
from ..model import Source
from ..readers.mbox import message_at, split_messages


class Originals:
    def __init__(self) -> None:
        self._spans: dict[str, list[tuple[int, int]]] = {}  # mailbox -> each message's offsets

    def read(self, source: Source) -> bytes:
        """The input's bytes (one message's, for a mailbox); ArchiverError if the file changed
        since it was read, for then it is no longer what the article came from."""
        path = Path(source.path)
        index = source.mbox_index
        if index is None:
            data = path.read_bytes()
            if hashlib.sha256(data).hexdigest() != source.sha256:
                raise ArchiverError(f"{source.path} changed since it was read")
            return data
        if source.path not in self._spans:  # one pass over the mailbox, keeping offsets, not messages
            if sha256_file(path)[0] != source.sha256:
                raise ArchiverError(f"{source.path} changed since it was read")
            with path.open("rb") as handle:
                self._spans[source.path] = [(start, end) for start, end, _ in split_messages(handle)]
        with path.open("rb") as handle:
            return message_at(handle, *self._spans[source.path][index])
