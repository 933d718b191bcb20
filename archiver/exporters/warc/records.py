"""WARC 1.1 (ISO 28500) of saved articles, saying honestly what they are: saved, not captured.

Per article: the input as it was saved (a `resource` record at the article's address, dated
when it was saved), each image (`resource` at its original address; a cid: part at its cid:
URL), archiver's normalized XHTML (`conversion`, referring to the original) and the provenance
record (`metadata`). The last two are at urn: addresses and point to the original with
WARC-Refers-To: at the article's own address a replay index would serve them instead of it.
Record ids and dates derive from the inputs: the same inputs give the same records.
"""

from __future__ import annotations

import hashlib
import io
import json
import uuid
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from lxml import etree
from warcio.recordloader import ArcWarcRecord
from warcio.warcwriter import WARCWriter

from ... import __version__
from ...atomic import atomic_path
from ...book.collection import as_datetime, build_time
from ...model import Article, Capture, Resource, ResourceStatus
from ...package.originals import Originals
from ...package.provenance import article_record
from ...readers import media_type
from ...urls import absolute, is_web_url, normalize_href, scheme
from ..base import ExportOptions, Report
from ..xhtml import OPS, XHTML, article_section

if TYPE_CHECKING:
    from ...capture.store import CaptureStore

EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()


@dataclass(frozen=True)
class Page:
    """What a WACZ lists for an article: where replay finds it, when, and its title."""

    url: str
    ts: datetime
    title: str | None


def write(articles: Sequence[Article], dest: Path, options: ExportOptions) -> Report:
    with atomic_path(dest) as temporary, temporary.open("wb") as handle:
        write_records(articles, handle, options, dest.name)
    return Report()


def write_records(
    articles: Sequence[Article], handle: BinaryIO, options: ExportOptions, filename: str
) -> list[Page]:
    """Write the WARC to `handle`; returns the pages a replay tool can open."""
    writer = WARCWriter(GzipMembers(handle), gzip=False, warc_version="1.1")
    when = build_time(articles)
    writer.write_record(_warcinfo(writer, filename, options, articles, when))
    original = options.original or Originals().read
    written: set[str] = set()
    payloads: dict[str, ArcWarcRecord] = {}  # a payload digest -> the response record that holds it
    pages: list[Page] = []
    for article in articles:
        key = f"{article.source.sha256}:{article.source.locator or ''}"
        saved = _record_date(article, when)
        target = original_uri(article)
        original_id = _record_id("original", key)
        writer.write_record(
            _record(
                writer,
                target,
                "resource",
                original(article.source),
                media_type(article.source.kind),
                original_id,
                saved,
            )
        )
        if is_web_url(target):
            pages.append(Page(target, saved, article.title))
        converted_from, converted_uri = original_id, target
        capture = article.capture
        if capture is not None and capture.hops and options.captures is not None:
            converted_from = _capture_records(writer, capture, options.captures, written, payloads)
            if capture.browser:
                _rendered_records(writer, capture, options.captures, written, payloads, converted_from)
            final = capture.hops[-1]
            if capture.problem is None and article.content == "full":
                converted_uri = final.url
                pages.append(Page(final.url, final.at, article.title))
        for resource in article.resources:
            uri = image_uri(resource, article)
            if (
                resource.status is not ResourceStatus.EMBEDDED
                or uri is None
                or f"{uri} {resource.sha256}" in written
            ):
                continue
            written.add(f"{uri} {resource.sha256}")
            fetched = _fetched(resource, options)
            if fetched is not None and options.captures is not None:
                _capture_records(writer, fetched, options.captures, written, payloads)
                continue
            writer.write_record(
                _record(
                    writer,
                    uri,
                    "resource",
                    resource.data or b"",
                    resource.media_type or "",
                    _record_id("image", f"{uri} {resource.sha256}"),
                    saved,
                    {"WARC-Concurrent-To": original_id},
                )
            )
        # Not at the article's own address: pywb indexes conversion records, and one there would
        # be replayed instead of the saved page. WARC-Refers-To-Target-URI names the address.
        # Ids of what archiver made of the article name its bytes too: an article that changed
        # (merged, captured) is written again, in the next WARC of a package's series
        converted = conversion_xhtml(article)
        writer.write_record(
            _record(
                writer,
                f"urn:archiver:conversion:{article.source.sha256}{_suffix(article)}",
                "conversion",
                converted,
                "application/xhtml+xml",
                _record_id("conversion", f"{key} {hashlib.sha256(converted).hexdigest()}"),
                saved,
                {"WARC-Refers-To": converted_from, "WARC-Refers-To-Target-URI": converted_uri},
            )
        )
        record = json.dumps(article_record(article), ensure_ascii=False, indent=1).encode("utf-8")
        writer.write_record(
            _record(
                writer,
                f"urn:archiver:provenance:{article.source.sha256}{_suffix(article)}",
                "metadata",
                record,
                "application/json",
                _record_id("metadata", f"{key} {hashlib.sha256(record).hexdigest()}"),
                saved,
                {"WARC-Refers-To": converted_from, "WARC-Refers-To-Target-URI": converted_uri},
            )
        )
    return pages


class GzipMembers:
    """What warcio writes a record into: each record becomes one gzip member (WARC 1.1 annex D,
    so that a reader can seek to any record), at gzip's default level, 6. warcio's own gzip
    writer uses level 9: 70% of the time of writing the WARC, for files 0.5% smaller (corpus)."""

    LEVEL = 6

    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.member = zlib.compressobj(self.LEVEL, zlib.DEFLATED, zlib.MAX_WBITS + 16)

    def write(self, data: bytes) -> None:
        self.out.write(self.member.compress(data))

    def flush(self) -> None:
        """warcio calls this at the end of every record."""
        self.out.write(self.member.flush())
        self.member = zlib.compressobj(self.LEVEL, zlib.DEFLATED, zlib.MAX_WBITS + 16)


def original_uri(article: Article) -> str:
    """The article's address when known; else a urn: naming its input by hash (and message). An
    entry of a read-it-later export is never at the article's address: the export holds what a
    service or a bookmark list recorded about the page, not the page as it was captured."""
    url = normalize_href(article.url) if article.url else None
    if url and is_web_url(url) and article.source.recorded_indexes[1] is None:
        return url
    return f"urn:sha256:{article.source.sha256}{_suffix(article)}"


def image_uri(resource: Resource, article: Article) -> str | None:
    """Where the saved page itself points for this image, so that replay of the page finds it:
    its absolute address, a relative one resolved against the page's, or its cid: URL."""
    kind = scheme(resource.ref)
    if kind == "cid":
        return resource.ref
    if kind == "data":
        return f"urn:sha256:{resource.sha256}"
    resolved = absolute(resource.ref, article.url)
    href = normalize_href(resolved) if resolved else None
    return href if href and is_web_url(href) else f"urn:sha256:{resource.sha256}"


def conversion_xhtml(article: Article) -> bytes:
    """The normalized article as a standalone XHTML document; images at their WARC addresses."""
    names = {r.name: image_uri(r, article) for r in article.resources if r.name}
    html = etree.Element(f"{{{XHTML}}}html", nsmap={None: XHTML, "epub": OPS})
    head = etree.SubElement(html, f"{{{XHTML}}}head")
    etree.SubElement(head, f"{{{XHTML}}}meta", charset="utf-8")
    etree.SubElement(head, f"{{{XHTML}}}title").text = article.title or "Untitled"
    body = etree.SubElement(html, f"{{{XHTML}}}body")
    body.append(article_section(article, lambda name: names.get(name), "article"))
    return b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n' + bytes(
        etree.tostring(html, encoding="utf-8")
    )


def _suffix(article: Article) -> str:
    """ ":mbox-index:3" for a mailbox's message, ":entry-index:7" for an export's entry; "" for a
    file that is one article (its hash is enough, and a Message-ID's angle brackets have no place
    in a URN)."""
    message_index, entry_index = article.source.recorded_indexes
    if message_index is not None:
        return f":mbox-index:{message_index}"
    return f":entry-index:{entry_index}" if entry_index is not None else ""


def _record_date(article: Article, fallback: datetime) -> datetime:
    """When it was saved; if nobody recorded that, when it was published; else the build time."""
    moment = article.source.saved or article.published
    return as_datetime(moment).astimezone(UTC) if moment else fallback


def _record_id(kind: str, key: str) -> str:
    digest = hashlib.sha256(f"archiver-warc|{kind}|{key}".encode()).digest()
    return f"<urn:uuid:{uuid.UUID(bytes=digest[:16], version=5)}>"


def _warc_date(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _record(
    writer: WARCWriter,
    uri: str,
    record_type: str,
    payload: bytes,
    content_type: str,
    record_id: str,
    when: datetime,
    extra: dict[str, str] | None = None,
) -> ArcWarcRecord:
    headers = {"WARC-Record-ID": record_id, "WARC-Date": _warc_date(when), **(extra or {})}
    return writer.create_warc_record(
        uri,
        record_type,
        payload=io.BytesIO(payload),
        length=len(payload),
        warc_content_type=content_type or "application/octet-stream",
        warc_headers_dict=headers,
    )


def _fetched(resource: Resource, options: ExportOptions) -> Capture | None:
    """The capture an image was fetched by (--fetch), when it is the one that gave these bytes."""
    if resource.resolved_by != "fetch" or options.captures is None:
        return None
    found = options.captures.get(resource.ref)
    if found is None or found.final is None or found.final.payload != resource.sha256:
        return None
    return found


def _capture_records(
    writer: WARCWriter,
    capture: Capture,
    captures: CaptureStore,
    written: set[str],
    payloads: dict[str, ArcWarcRecord],  # a WARC payload digest -> the response record that has it
) -> str:
    """Each hop of a live capture as it crossed the wire: the request as sent, then the response
    as received (a revisit record when the same payload was written before). Returns the final
    response's record id."""
    response_id = ""
    for hop in capture.hops:
        response_id = _record_id("response", f"{hop.url} {hop.response}")
        if response_id in written:
            continue
        written.add(response_id)
        when = _warc_date(hop.at)
        common = {"WARC-Date": when, "WARC-IP-Address": hop.ip}
        raw_request = captures.objects.get(hop.request)
        writer.write_record(
            writer.create_warc_record(
                hop.url,
                "request",
                payload=io.BytesIO(raw_request),
                length=len(raw_request),
                warc_headers_dict={
                    **common,
                    "WARC-Record-ID": _record_id("request", f"{hop.url} {hop.request} {hop.response}"),
                    "WARC-Concurrent-To": response_id,
                },
            )
        )
        raw_response = captures.objects.get(hop.response)
        headers = {**common, "WARC-Record-ID": response_id}
        if hop.truncated:
            headers["WARC-Truncated"] = "length"
        response = writer.create_warc_record(
            hop.url, "response", payload=io.BytesIO(raw_response), length=len(raw_response),
            warc_headers_dict=headers,
        )  # fmt: skip
        digest = response.rec_headers.get_header("WARC-Payload-Digest")  # of the bytes as sent
        earlier = payloads.get(digest) if hop.payload != EMPTY_SHA256 else None
        if earlier is None:
            writer.write_record(response)
            payloads.setdefault(digest, response)
            continue
        writer.write_record(
            writer.create_revisit_record(
                hop.url,
                earlier.rec_headers.get_header("WARC-Payload-Digest"),
                earlier.rec_headers.get_header("WARC-Target-URI"),
                earlier.rec_headers.get_header("WARC-Date"),
                http_headers=response.http_headers,
                warc_headers_dict={
                    **headers,
                    "WARC-Refers-To": earlier.rec_headers.get_header("WARC-Record-ID"),
                },
            )
        )
    return response_id


def _rendered_records(
    writer: WARCWriter,
    capture: Capture,
    captures: CaptureStore,
    written: set[str],
    payloads: dict[str, ArcWarcRecord],
    page_response: str,
) -> None:
    """What a page rendered in the browser added: each request it made, as archiver made it, then
    the DOM after its scripts ran and a screenshot of its first screen, as resource records at
    urn: addresses (`urn:view:` is Browsertrix's name for the screenshot; `urn:dom:` follows it),
    concurrent with the page's response."""
    for url in capture.requests:
        found = captures.get(url)
        if found is not None and found.hops:
            _capture_records(writer, found, captures, written, payloads)
    final = capture.hops[-1]
    when = capture.rendered_at or final.at
    kept = (("dom", capture.rendered, "text/html; charset=utf-8"), ("view", capture.screenshot, "image/png"))
    for kind, digest, media in kept:
        if digest is None or f"{kind} {final.url} {digest}" in written:
            continue
        written.add(f"{kind} {final.url} {digest}")
        writer.write_record(
            _record(
                writer,
                f"urn:{kind}:{final.url}",
                "resource",
                captures.objects.get(digest),
                media,
                _record_id(kind, f"{final.url} {digest}"),
                when,
                {"WARC-Concurrent-To": page_response},
            )
        )


def _warcinfo(
    writer: WARCWriter, filename: str, options: ExportOptions, articles: Sequence[Article], when: datetime
) -> ArcWarcRecord:
    captured = sum(1 for a in articles if a.capture is not None and a.capture.hops)
    browsers = sorted({a.capture.browser for a in articles if a.capture is not None and a.capture.browser})
    fields = {
        "software": f"archiver/{__version__} (warcio)",
        "browser": "; ".join(browsers),
        "format": "WARC File Format 1.1",
        "conformsTo": "https://iso.org/standard/68004.html",
        "title": options.title or "Saved articles",
        "description": (
            f"{len(articles)} saved articles, "
            + (
                f"{captured} of them links whose pages archiver captured live"
                if captured
                else "not live captures"
            )
            + ". For each: the input as the user saved it (resource record at the article's "
            "address, dated when it was saved, or when published if the save date is unknown), its "
            "images (resource records at their original addresses), archiver's normalized XHTML "
            "(conversion record) and where each fact came from (metadata record, application/json)."
            + (
                " For each capture: every HTTP exchange as sent and received, redirects included "
                "(request and response records at its address and time; a revisit record where the "
                "payload was written before)."
                if captured
                else ""
            )
            + (
                " For each page rendered in the browser: every request the page made, made by archiver "
                "(request and response records), its DOM after its scripts ran (resource record at "
                "urn:dom:ADDRESS) and its first screen (resource record at urn:view:ADDRESS, image/png)."
                if browsers
                else ""
            )
        ),
        "isPartOf": options.title or "",
    }
    payload = "".join(f"{name}: {value}\r\n" for name, value in fields.items() if value).encode("utf-8")
    return _record(
        writer,
        "",
        "warcinfo",
        payload,
        "application/warc-fields",
        _record_id("warcinfo", "|".join(a.source.sha256 for a in articles)),
        when,
        {"WARC-Filename": filename},
    )
