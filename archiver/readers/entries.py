"""What every input of many articles shares (read-it-later exports, bookmark files, mailboxes):
its entries, read as a stream, each with its place in the input (`Source.entry_index`); each is
its own article, made from the entry, in a worker process when the input is large; and each one's
original is the entry's own bytes in the file (`Reader.entry_originals`), so entries are told
apart, and found again, one by one.

An export's entry is what the file states of a saved item (`Entry`), and its article is the
article's text where the export carries it, else a link article (its address, title, dates, tags
and note), never dropped. A mailbox's entry is a message (readers/mbox.py).
"""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, ClassVar, Protocol, TypeVar

from ..bounds import exceeded
from ..errors import ArchiverError, unexpected
from ..html.article import build_article
from ..html.highlights import with_highlights
from ..html.metadata import Found
from ..images.resolve import Fetcher, ResolveContext
from ..model import Article, Failure, Highlight, ReadingStatus, Source, frozen_map
from ..urls import is_web_url, link_href
from . import bounded_json
from .base import Reader, ReadOptions, ReadResult, file_source

T = TypeVar("T")


class Payload(Protocol):
    """An entry as read from its input, before its article is made: small, and it pickles."""

    noun: ClassVar[str]  # what a failure calls it: "entry 7", "message 3"

    def article(self, source: Source, fetcher: Fetcher | None) -> Article | Failure:
        """Its article; a Failure that names it when it cannot be made."""
        ...


@dataclass(frozen=True)
class Entry:
    """One saved item as its export states it; None (or empty) where the export does not say."""

    noun: ClassVar[str] = "entry"

    url: str | None
    title: str | None = None
    saved: datetime | date | None = None  # when the user saved it
    tags: tuple[str, ...] = ()
    folder: str | None = None  # a path of folder names, "/" between them
    status: ReadingStatus | None = None
    starred: bool | None = None
    note: str | None = None  # the user's note, a selection, or the service's description
    content: str | None = None  # the article's HTML, where the export carries it
    whole_page: bool = False  # the content is the whole page as saved: its article is extracted
    images: tuple[tuple[str, bytes], ...] = ()  # (address, bytes) of images saved with the entry
    published: datetime | date | None = None
    authors: tuple[str, ...] = ()
    language: str | None = None
    highlights: tuple[Highlight, ...] = ()

    def article(self, source: Source, fetcher: Fetcher | None) -> Article | Failure:
        index = source.entry_index or 0
        try:
            return entry_article(self, source, fetcher)
        except (ArchiverError, ValueError, TypeError, KeyError, AttributeError) as exc:
            return _entry_failure(source.path, index, str(exc) or type(exc).__name__)
        except Exception as exc:  # noqa: BLE001 - one entry must not cost the rest of the export
            return _entry_failure(source.path, index, exceeded(exc) or unexpected(exc))


EntryItem = tuple[Source, Payload] | Failure  # an entry as read, before its article is made
EntryItems = Iterator[EntryItem]


def export_entries(
    path: Path, shown: str, kind: str, records: Iterable[T | ArchiverError], to_entry: Callable[[T], Entry]
) -> EntryItems:
    """Each record as an entry with its source, in order, read as a stream; a record that cannot
    be read is reported on its own, as "entry N", and the others still come out."""
    source = file_source(path, shown, kind)
    for index, record in enumerate(records):
        if isinstance(record, ArchiverError):  # read, but refused (too large, an unsafe member)
            yield _entry_failure(shown, index, str(record))
            continue
        try:
            yield replace(source, entry_index=index), to_entry(record)
        except (ArchiverError, ValueError, TypeError, KeyError, AttributeError) as exc:
            yield _entry_failure(shown, index, str(exc) or type(exc).__name__)
        except Exception as exc:  # noqa: BLE001 - one entry must not cost the rest of the export
            yield _entry_failure(shown, index, exceeded(exc) or unexpected(exc))


def entry_articles(items: Iterable[EntryItem], fetcher: Fetcher | None) -> ReadResult:
    """The article of each entry (a worker process may make them: entries are small and pickle)."""
    for item in items:
        yield item if isinstance(item, Failure) else item[1].article(item[0], fetcher)


def _entry_failure(shown: str, index: int, problem: str) -> Failure:
    return Failure(shown, f"entry {index}: {problem}", f"entry-index:{index}")


def export_reader(
    name: str,
    extensions: tuple[str, ...],
    media_type: str,
    sniff: Callable[[bytes], int],
    entries: Callable[[Path, str], EntryItems],
    entry_originals: Callable[[Path], Iterable[bytes]],
    companions: tuple[str, ...] = (),
) -> Reader:
    """The reader of an export of many entries, given how to read its entries."""

    def read(path: Path, shown: str, options: ReadOptions) -> ReadResult:
        return entry_articles(entries(path, shown), options.fetcher)

    return Reader(
        name,
        extensions,
        media_type,
        sniff,
        read,
        entry_originals=entry_originals,
        entries=entries,
        companions=companions,
    )


def entry_article(entry: Entry, source: Source, fetcher: Fetcher | None) -> Article:
    kind = source.kind
    hints = Found()
    for name, value in (
        ("title", entry.title),
        ("url", entry.url),
        ("published", entry.published),
        ("authors", entry.authors),
        ("language", entry.language),
    ):
        hints.offer(name, value, f"{kind}:{name}")
    said = {
        "saved": entry.saved,
        "tags": entry.tags or None,
        "folder": entry.folder,
        "status": entry.status,
        "starred": entry.starred,
    }
    origins = {
        **source.origins,
        **{name: f"{kind}:{name}" for name, value in said.items() if value is not None},
    }
    source = replace(source, saved=entry.saved, origins=frozen_map(origins))
    text = entry.content if entry.content and entry.content.strip() else None
    context = ResolveContext(
        base_url=entry.url if is_web_url(entry.url) else None,
        parts_by_location=dict(entry.images),
        fetcher=fetcher,
    )
    extract = bool(text) and entry.whole_page
    article = build_article(text or link_page(entry), source, context, hints=hints, extract=extract)
    article = replace(
        article,
        tags=entry.tags,
        folder=entry.folder,
        status=entry.status,
        starred=entry.starred,
        content="full" if text else "link",
    )
    # a link article's highlights are listed: there is no text to find them in
    return (
        with_highlights(article, entry.highlights) if text else replace(article, highlights=entry.highlights)
    )


def link_page(entry: Entry) -> str:
    """What a link article shows: its address (a live link for http, https and mailto only), then
    the note, a paragraph per blank-line block."""
    href, shown = link_href(entry.url), html.escape(entry.url or "")
    address = f'<a href="{html.escape(href)}">{shown}</a>' if href else shown
    parts = [f"<p>{address}</p>"] if shown else []
    for paragraph in (entry.note or "").replace("\r\n", "\n").split("\n\n"):
        if paragraph.strip():
            parts.append(f"<p>{html.escape(paragraph.strip())}</p>")
    return "<html><body>" + "".join(parts) + "</body></html>"


def unix_time(value: Any) -> datetime | None:
    """A Unix time in seconds, milliseconds or microseconds (bookmark files use all three), as UTC."""
    text = str(value).strip()
    if not text.isdigit() or int(text) == 0:
        return None
    number = int(text)
    seconds = number / 1_000_000 if number > 10**14 else number / 1000 if number > 10**11 else number
    return datetime.fromtimestamp(seconds, UTC)


def split_tags(text: str | None, separator: str = ",") -> tuple[str, ...]:
    cleaned = (tag.strip() for tag in (text or "").split(separator))
    return tuple(dict.fromkeys(tag for tag in cleaned if tag))


def flag(value: Any) -> bool:
    """true/false, 1/0 and "1"/"0", as exports write booleans."""
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes")
    return bool(value)


def json_records(path: Path) -> Any:
    """A JSON document whole, within bounds: for the exports that are one tree (bookmark
    backups), not a list."""
    with path.open("rb") as handle:
        if handle.read(3) != b"\xef\xbb\xbf":
            handle.seek(0)
        return bounded_json.document(handle)


def json_list(path: Path, what: str) -> Iterator[Any]:
    """The entries of a JSON list, one at a time: a 10,000-entry export is never held whole, and
    an entry past the bounds is never built (bounded_json.py): it comes out as its problem."""
    with path.open("rb") as handle:
        start = 3 if handle.read(3) == b"\xef\xbb\xbf" else 0
        handle.seek(start)
        if not handle.read(4096).lstrip().startswith(b"["):
            raise ArchiverError(f"not {what}: the JSON is not a list of entries")
        handle.seek(start)
        yield from bounded_json.list_items(handle)


def canonical_json(record: Any) -> bytes:
    """One entry of a JSON export, as its original: the same entry always gives the same bytes
    (nothing, for an entry refused unread)."""
    if isinstance(record, ArchiverError):
        return b""
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


Row = list[str] | ArchiverError  # a CSV row, or why one could not be read (the next one still is)


def csv_file(path: Path) -> tuple[list[str], Iterator[Row]]:
    """(header, rows) of a CSV export, the rows read as a stream."""
    return _header(_csv_rows(path))


def _csv_rows(path: Path) -> Iterator[Row]:
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
        yield from csv_lines(handle)


def csv_table(data: bytes) -> tuple[list[str], Iterator[Row]]:
    """(header, rows) of a CSV export held in memory (a member of a zip)."""
    return _header(csv_lines(io.StringIO(data.decode("utf-8-sig", errors="replace"), newline="")))


def csv_lines(lines: Iterable[str]) -> Iterator[Row]:
    """The rows of a CSV file that are not empty; a row the csv module refuses (a field over its
    size limit) is given as its problem, and the rows after it are still read."""
    reader = csv.reader(lines)
    while True:
        at = reader.line_num
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield ArchiverError(f"line {reader.line_num}: not a CSV row archiver can read ({exc})")
            if reader.line_num == at:  # nothing was consumed: the same error would come again
                return
            continue
        if any(row):
            yield row


def _header(rows: Iterator[Row]) -> tuple[list[str], Iterator[Row]]:
    header = next(rows, None)
    if header is None:
        raise ArchiverError("an empty CSV file")
    if isinstance(header, ArchiverError):
        raise ArchiverError(f"not a CSV file archiver can read ({header})")
    return [cell.strip() for cell in header], rows


def csv_record(header: list[str], row: list[str]) -> bytes:
    """One row under its header, as the entry's original."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, row])
    return out.getvalue().encode("utf-8")


def row_cells(header: list[str], row: list[str]) -> dict[str, str]:
    """A CSV row by its header's names, lower-cased; a missing cell is empty. A NUL byte is
    refused rather than read as the end of a cell: the row is not text."""
    if any("\x00" in cell for cell in row):
        raise ValueError("a NUL byte in the row; not a text export")
    return {name.strip().lower(): row[n] if n < len(row) else "" for n, name in enumerate(header)}


def row_entry(header: list[str], row: list[str], to_entry: Callable[[dict[str, str]], Entry]) -> Entry:
    cells = row_cells(header, row)
    if not cells.get("url"):
        raise ValueError("a row without an address")
    return to_entry(cells)


def csv_reader(
    name: str, sniff: Callable[[bytes], int], to_entry: Callable[[dict[str, str]], Entry]
) -> Reader:
    """The reader of a CSV export: an entry a row, `to_entry` given its cells by column name."""

    def entries(path: Path, shown: str) -> EntryItems:
        header, rows = csv_file(path)
        return export_entries(path, shown, name, rows, lambda row: row_entry(header, row, to_entry))

    def originals(path: Path) -> Iterator[bytes]:
        header, rows = csv_file(path)
        return (b"" if isinstance(row, ArchiverError) else csv_record(header, row) for row in rows)

    return export_reader(name, (".csv",), "text/csv", sniff, entries, originals)


def json_list_reader(
    name: str, sniff: Callable[[bytes], int], to_entry: Callable[[Any], Entry], what: str
) -> Reader:
    """The reader of an export that is a JSON list of entries (`what` names it in a problem)."""

    def entries(path: Path, shown: str) -> EntryItems:
        return export_entries(path, shown, name, json_list(path, what), to_entry)

    def originals(path: Path) -> Iterator[bytes]:
        return (canonical_json(r) for r in json_list(path, what))

    return export_reader(name, (".json",), "application/json", sniff, entries, originals)
