"""The bytes of each article's input as it was saved, read again when an output needs them
(the WARC stores them whole); the model does not keep them, so a mailbox is never held twice."""

from __future__ import annotations

import hashlib
from pathlib import Path

from .errors import ArchiverError
from .model import Source
from .readers.mbox import split_messages

MEDIA_TYPES = {"html": "text/html", "reader-view": "text/html", "single-file-html": "text/html",
               "eml": "message/rfc822", "mbox": "message/rfc822", "mhtml": "multipart/related"}


class Originals:
    def __init__(self) -> None:
        self._mailboxes: dict[str, list[bytes]] = {}

    def read(self, source: Source) -> bytes:
        """The input's bytes (one message's, for a mailbox); ArchiverError if the file changed
        since it was read, for then it is no longer what the article came from."""
        if source.kind == "mbox":
            index = int((source.locator or "").split()[0].removeprefix("mbox-index:"))
            return self._mailbox(source)[index]
        data = Path(source.path).read_bytes()
        if hashlib.sha256(data).hexdigest() != source.sha256:
            raise ArchiverError(f"{source.path} changed since it was read")
        return data

    def _mailbox(self, source: Source) -> list[bytes]:
        if source.path not in self._mailboxes:
            path = Path(source.path)
            if hashlib.sha256(path.read_bytes()).hexdigest() != source.sha256:
                raise ArchiverError(f"{source.path} changed since it was read")
            with path.open("rb") as handle:
                self._mailboxes[source.path] = list(split_messages(handle))
        return self._mailboxes[source.path]


def media_type(source: Source) -> str:
    return MEDIA_TYPES.get(source.kind, "application/octet-stream")
