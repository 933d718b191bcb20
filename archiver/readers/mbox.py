"""Mailboxes (.mbox, Google Takeout's Gmail export): one Article per message, read as a stream.

Messages are split at "From " lines (mboxo/mboxrd, as Python's mailbox module does) without
holding the mailbox in memory; one message that cannot be read is reported and skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

from ..errors import ArchiverError, unexpected
from ..mail.article import message_article
from ..mail.mime import parse_message
from ..model import Article, Failure, Source
from .base import Reader, ReadOptions, ReadResult, file_source

NAME = "mbox"
_FROM_LINE = re.compile(rb"^From \S*")
_ESCAPED_FROM = re.compile(rb"^>(>*From )", re.MULTILINE)
MAX_MESSAGE_BYTES = 100 * 1024 * 1024


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
class Part:
    """One message, as handed to a worker process: what read_part needs and nothing more."""

    source: Source
    index: int
    data: bytes


def parts(path: Path, shown: str) -> Iterator[Part]:
    source = file_source(path, shown, NAME)
    with path.open("rb") as handle:
        for index, (_, _, data) in enumerate(split_messages(handle)):
            yield Part(replace(source, mbox_index=index), index, data)


def read_part(part: Part, options: ReadOptions) -> Article | Failure:
    """One message's article; one message that cannot be read is reported, never the mailbox."""
    shown, locator = part.source.path, part.source.locator
    try:
        return message_article(parse_message(part.data), part.source, options.fetcher)
    except (ArchiverError, ValueError, LookupError, UnicodeError) as exc:
        return Failure(shown, f"message {part.index}: {exc}", locator)
    except RecursionError:
        return Failure(shown, f"message {part.index}: structure nested too deeply to read", locator)
    except Exception as exc:  # noqa: BLE001 - one message must not cost the rest of the mailbox
        return Failure(shown, f"message {part.index}: {unexpected(exc)}", locator)


def read(path: Path, shown: str, options: ReadOptions) -> ReadResult:
    for part in parts(path, shown):
        yield read_part(part, options)


READER = Reader(
    NAME, extensions=(".mbox", ".mbx", ".mbs"), media_type="message/rfc822", sniff=sniff, read=read
)
