"""The readers, in a literal registry in the order detection tries them, and detection itself.

Each reader module describes itself in one `Reader` record (base.py). Detection is by content:
the extension only adds one point and breaks ties, so a mislabeled file still finds its reader.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import ArchiverError
from ..images.sniff import looks_binary
from . import (
    address_list,
    bookmarks_html,
    chrome_bookmarks,
    eml,
    firefox_bookmarks,
    html_page,
    instapaper,
    instapaper_html,
    matter_zip,
    mbox,
    mhtml,
    obsidian,
    omnivore,
    omnivore_zip,
    pinboard,
    pocket_csv,
    pocket_exporter,
    pocket_html,
    pocket_zip,
    raindrop,
    reader_view_page,
    readwise,
    single_file,
    wallabag,
)
from .base import HEAD_BYTES, Reader
from .zipped import ZIP_MAGIC, member_names

# In the order detection tries them: a mailbox before a page, a page last.
READERS: tuple[Reader, ...] = tuple(
    module.READER
    for module in (
        mbox,
        mhtml,
        eml,
        wallabag,
        omnivore,
        firefox_bookmarks,
        chrome_bookmarks,
        pinboard,
        pocket_exporter,
        omnivore_zip,
        pocket_zip,
        matter_zip,
        pocket_csv,
        instapaper,
        readwise,
        raindrop,
        pocket_html,
        instapaper_html,
        bookmarks_html,
        obsidian,
        address_list,
        reader_view_page,
        single_file,
        html_page,
    )
)
BY_NAME = {reader.name: reader for reader in READERS}
SUPPORTED_EXTENSIONS = frozenset(ext for reader in READERS for ext in reader.extensions)
# Data formats whose extension says nothing about the content: in a folder, such a file is an
# input only when a reader recognizes it (a folder of saved pages holds other JSON and zips, too).
RECOGNIZED_IN_FOLDERS = frozenset(
    (".json", ".csv", ".zip", ".md", ".markdown", ".txt", ".uri", ".uris", ".url")
)


def media_type(kind: str) -> str:
    """The media type of an input its reader `kind` read, as saved."""
    reader = BY_NAME.get(kind)
    return reader.media_type if reader else "application/octet-stream"


def detect(path: Path, head: bytes) -> Reader:
    """The reader for a file, by its first bytes; ArchiverError when none fits."""
    suffix = path.suffix.lower()
    best: tuple[int, int, int, Reader] | None = None
    for order, reader in enumerate(READERS):
        score = reader.sniff(head)
        if score <= 0:
            continue
        claims = int(suffix in reader.extensions)
        key = (score + claims, claims, -order, reader)
        if best is None or key[:3] > best[:3]:
            best = key
    if best is not None:
        return best[3]
    if head.startswith(ZIP_MAGIC) and not head.startswith(ZIP_MAGIC + b"\n"):
        # A zip's first bytes name only its first member: its readers look at every member's name.
        return detect(path, ZIP_MAGIC + b"\n" + "\n".join(member_names(path)).encode("utf-8", "replace"))
    if not head.strip():
        raise ArchiverError("empty file")
    if head.startswith(ZIP_MAGIC):
        raise ArchiverError("a zip that is not an export archiver reads (Pocket's, Omnivore's)")
    if looks_binary(head):
        raise ArchiverError("binary data, not a saved article (HTML, mail, mbox or MHTML)")
    raise ArchiverError(
        "not a format archiver reads (HTML, Reader View, .eml, .mbox, MHTML, a read-it-later export)"
    )


def reader_of(path: Path) -> Reader | None:
    try:
        return detected(path)
    except (ArchiverError, OSError):
        return None  # read_file says why, in the worker


def detected(path: Path) -> Reader:
    if not path.is_file():  # before opening it: a named pipe or a device would block or never end
        raise ArchiverError("not a regular file" if path.exists() else "no such file (a broken link?)")
    with path.open("rb") as handle:
        return detect(path, handle.read(HEAD_BYTES))
