"""Mailboxes (.mbox, Google Takeout's Gmail export): one Article per message, read as a stream.

Messages are split at "From " lines (mboxo/mboxrd, as Python's mailbox module does) without
holding the mailbox in memory; one message that cannot be read is reported and skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import BinaryIO

from ..errors import ArchiverError, unexpected
from ..mail_article import message_article
from ..mime import parse_message
from ..model import Failure
from .base import ReadOptions, ReadResult, file_source

NAME = "mbox"
EXTENSIONS = (".mbox", ".mbx", ".mbs")
_FROM_LINE = re.compile(rb"^From \S*")
_ESCAPED_FROM = re.compile(rb"^>(>*From )")
MAX_MESSAGE_BYTES = 100 * 1024 * 1024


_HEADER = re.compile(rb"^[A-Za-z0-9-]+:[ \t]", re.MULTILINE)


def sniff(head: bytes) -> int:
    """A "From " line, then a header line. Not a binary check: a mailbox holding one broken
    message is still a mailbox, and that message is reported on its own."""
    first_line_end = head.find(b"\n")
    if not _FROM_LINE.match(head) or first_line_end < 0:
        return 0
    return 3 if _HEADER.match(head, first_line_end + 1) else 0


def split_messages(handle: BinaryIO) -> Iterator[bytes]:
    """The messages of an mbox, one at a time, with the "From " separator line removed and
    mboxrd ">From " escapes undone."""
    lines: list[bytes] = []
    size = 0
    started = False
    for line in handle:
        if line.startswith(b"From "):
            if started:
                yield b"".join(lines)
            lines, size, started = [], 0, True
            continue
        if not started:
            if line.strip():
                raise ArchiverError("not an mbox: it does not start with a \"From \" line")
            continue
        size += len(line)
        if size <= MAX_MESSAGE_BYTES:
            lines.append(_ESCAPED_FROM.sub(rb"\1", line))
    if started:
        yield b"".join(lines)


def read(path: Path, shown: str, options: ReadOptions) -> ReadResult:
    source = file_source(path, shown, NAME)
    with path.open("rb") as handle:
        for index, data in enumerate(split_messages(handle)):
            locator = f"mbox-index:{index}"
            try:
                message = parse_message(data)
                yield message_article(message, replace(source, locator=locator), options.fetcher)
            except (ArchiverError, ValueError, LookupError, UnicodeError) as exc:
                yield Failure(shown, f"message {index}: {exc}", locator)
            except RecursionError:
                yield Failure(shown, f"message {index}: structure nested too deeply to read", locator)
            except Exception as exc:  # noqa: BLE001 - one message must not cost the rest of the mailbox
                yield Failure(shown, f"message {index}: {unexpected(exc)}", locator)
