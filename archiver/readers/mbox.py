"""Mailboxes (.mbox, Google Takeout's Gmail export): an input of many entries, each a message, read
as a stream and each its own article.

Messages are split at "From " lines (mboxo/mboxrd, as Python's mailbox module does) without
holding the mailbox in memory; one message that cannot be read is reported and skipped. A
message's original is its own bytes, found again by its offsets in the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO, ClassVar, overload

from ..errors import ArchiverError, unexpected
from ..images.resolve import Fetcher
from ..mail.article import message_article
from ..mail.mime import parse_message
from ..model import MAILBOX, Article, Failure, Source
from .base import Reader, ReadOptions, ReadResult, file_source
from .entries import EntryItems, entry_articles

NAME = MAILBOX
_FROM_LINE = re.compile(rb"^From \S*")
_ESCAPED_FROM = re.compile(rb"^>(>*From )", re.MULTILINE)
MAX_MESSAGE_BYTES = 100 * 1024 * 1024
MESSAGES_PER_TASK = 32  # a message is more work than an export's entry, and may be larger


_HEADER = re.compile(rb"^[A-Za-z0-9-]+:[ \t]", re.MULTILINE)


def sniff(head: bytes) -> int:
    """A "From " line, then a header line. Not a binary check: a mailbox holding one broken
    message is still a mailbox, and that message is reported on its own."""
    first_line_end = head.find(b"\n")
    if not _FROM_LINE.match(head) or first_line_end < 0:
        return 0
    return 3 if _HEADER.match(head, first_line_end + 1) else 0


def split_messages(handle: BinaryIO) -> Iterator[tuple[int, int, bytes]]:
    """(start, end, bytes) of each message of an mbox, one at a time: its offsets in the file
    after the "From " separator line, and its bytes with mboxrd ">From " escapes undone."""
    lines: list[bytes] = []
    size = offset = 0
    start: int | None = None
    for line in handle:
        if line.startswith(b"From "):
            if start is not None:
                yield start, offset, _unescape(b"".join(lines))
            lines, size, start = [], 0, offset + len(line)
        elif start is None:
            if line.strip():
                raise ArchiverError('not an mbox: it does not start with a "From " line')
        elif size + len(line) <= MAX_MESSAGE_BYTES:
            lines.append(line)
            size += len(line)
        else:
            size = MAX_MESSAGE_BYTES + 1  # the rest of an oversized message is left out, as message_at does
        offset += len(line)
    if start is not None:
        yield start, offset, _unescape(b"".join(lines))


def message_at(handle: BinaryIO, start: int, end: int) -> bytes:
    """The bytes split_messages gave for the message at these offsets, read again."""
    handle.seek(start)
    raw = handle.read(end - start)
    if len(raw) > MAX_MESSAGE_BYTES:
        raw = raw[: raw.rfind(b"\n", 0, MAX_MESSAGE_BYTES) + 1]
    return _unescape(raw)


def _unescape(raw: bytes) -> bytes:
    return _ESCAPED_FROM.sub(rb"\1", raw)


@dataclass(frozen=True)
class Message:
    """One message of a mailbox, as handed to a worker process: its bytes and nothing more."""

    data: bytes
    noun: ClassVar[str] = "message"

    def article(self, source: Source, fetcher: Fetcher | None) -> Article | Failure:
        """The message's article; one that cannot be read is reported, never the mailbox."""
        shown, locator, index = source.path, source.locator, source.entry_index
        try:
            return message_article(parse_message(self.data), source, fetcher)
        except (ArchiverError, ValueError, LookupError, UnicodeError) as exc:
            return Failure(shown, f"message {index}: {exc}", locator)
        except RecursionError:
            return Failure(shown, f"message {index}: structure nested too deeply to read", locator)
        except Exception as exc:  # noqa: BLE001 - one message must not cost the rest of the mailbox
            return Failure(shown, f"message {index}: {unexpected(exc)}", locator)


def entries(path: Path, shown: str) -> EntryItems:
    source = file_source(path, shown, NAME)
    with path.open("rb") as handle:
        for index, (_, _, data) in enumerate(split_messages(handle)):
            yield replace(source, entry_index=index), Message(data)


def read(path: Path, shown: str, options: ReadOptions) -> ReadResult:
    return entry_articles(entries(path, shown), options.fetcher)


class Originals(Sequence[bytes]):
    """Each message's bytes, any one at once: the offsets are found in one pass over the mailbox,
    and a message is read again from its offsets when asked for (an output may want them in any
    order), never the mailbox held whole."""

    def __init__(self, path: Path) -> None:
        self._path = path
        with path.open("rb") as handle:
            self._spans = [(start, end) for start, end, _ in split_messages(handle)]

    def __len__(self) -> int:
        return len(self._spans)

    @overload
    def __getitem__(self, index: int) -> bytes: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[bytes]: ...
    def __getitem__(self, index: int | slice) -> bytes | Sequence[bytes]:
        if isinstance(index, slice):
            return [self[n] for n in range(*index.indices(len(self)))]
        with self._path.open("rb") as handle:
            return message_at(handle, *self._spans[index])


READER = Reader(
    NAME,
    extensions=(".mbox", ".mbx", ".mbs"),
    media_type="message/rfc822",
    sniff=sniff,
    read=read,
    entry_originals=Originals,
    entries=entries,
    entries_per_task=MESSAGES_PER_TASK,
)
