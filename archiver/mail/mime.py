"""MIME walking shared by the .eml, mbox and MHTML readers (RFC 2045-2049, 2392, 2557)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser

from ..errors import ArchiverError
from ..html.charset import decode
from ..urls import absolute, content_id

MAX_PARTS = 5000  # a message with more parts than this is hostile, not a saved article


def parse_message(data: bytes) -> EmailMessage:
    if not data.strip():
        raise ArchiverError("empty message")
    message = BytesParser(policy=policy.default).parsebytes(repair_header_block(data))
    if not message.keys():
        raise ArchiverError("no message headers found")
    assert isinstance(message, EmailMessage)  # policy.default makes EmailMessage
    return message


_HEADER_START = re.compile(rb"^[!-9;-~]+:")


def repair_header_block(data: bytes) -> bytes:
    """Fold header lines that lost their leading whitespace back into the header above.

    Chrome's MHTML writer has been seen to break an encoded-word header (X-Snapshot-Title) over
    two lines without folding, which ends the header block early and hides Content-Type.
    """
    end = data.find(b"\n\n")
    crlf_end = data.find(b"\r\n\r\n")
    if crlf_end != -1 and (end == -1 or crlf_end < end):
        end = crlf_end
    if end == -1:
        return data
    lines = data[:end].split(b"\n")
    if all(_HEADER_START.match(line) or line[:1] in (b" ", b"\t") for line in lines):
        return data
    repaired = [lines[0]]
    for line in lines[1:]:
        if _HEADER_START.match(line) or line[:1] in (b" ", b"\t") or not line.strip():
            repaired.append(line)
        else:
            repaired.append(b" " + line)
    return b"\n".join(repaired) + data[end:]


def html_root(message: EmailMessage) -> Message | None:
    """The page of an MHTML file: the `start` part, else the first part, as RFC 2557 says; and
    when that is not HTML (the first part is often an image), the first text/html part."""
    root = find_body(message, "html")
    if root is None:
        root = next((p for p in message.walk() if p.get_content_type() == "text/html"), None)
    return root


def header(message: Message, name: str) -> str | None:
    """A decoded header value (RFC 2047 encoded words included), or None. A header CPython's
    parser fails on (it raises AttributeError and IndexError on some malformed ones) or that does
    not decode is read raw rather than failing the whole message."""
    try:
        value = message.get(name)
    except (ValueError, TypeError, IndexError, AttributeError):
        value = _raw_header(message, name)
    if value is None:
        return None
    text = " ".join(str(value).split())
    if "\ufffd" in text:  # an encoded word that does not decode: its raw form says more
        text = " ".join((_raw_header(message, name) or text).split())
    return text or None


def _raw_header(message: Message, name: str) -> str | None:
    raw = next((value for key, value in message.raw_items() if key.lower() == name.lower()), None)
    return str(raw) if raw is not None else None


def address_name(message: Message, name: str = "From") -> str | None:
    """The display name of an address header, or the address itself when there is no name."""
    try:
        value = message.get(name)
        addresses = getattr(value, "addresses", None)
    except (ValueError, TypeError, IndexError, AttributeError):
        return header(message, name)
    if addresses:
        first = addresses[0]
        return first.display_name or first.addr_spec or None
    return header(message, name)


def find_body(message: EmailMessage, subtype: str) -> Message | None:
    """message.get_body(), or the first text/`subtype` part where get_body itself fails: CPython's
    raises AttributeError on a multipart whose payload did not parse into parts."""
    try:
        return message.get_body(preferencelist=(subtype,))
    except RecursionError as exc:
        raise ArchiverError("MIME structure nested too deeply") from exc
    except (AttributeError, TypeError):
        return next((p for p in message.walk() if p.get_content_type() == f"text/{subtype}"), None)


@dataclass(frozen=True)
class Body:
    html: str | None
    text: str | None
    charset_note: str | None


def body(message: EmailMessage) -> Body:
    """The message's HTML body, else its text body (RFC 2046 multipart/alternative: the richest
    part we can show; multipart/related: the `start` part, else the first)."""
    html_part = find_body(message, "html")
    text_part = find_body(message, "plain") if html_part is None else None
    if html_part is None and text_part is None and message.get_content_maintype() == "text":
        text_part = message
    html, note = part_text(html_part) if html_part is not None else (None, None)
    text, text_note = part_text(text_part) if text_part is not None else (None, None)
    return Body(html, text, note or text_note)


def part_text(part: Message) -> tuple[str, str]:
    """A text part decoded from its transfer encoding, then from its charset, declared or not."""
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        payload = str(part.get_payload()).encode("utf-8", "replace")
    declared = part.get_content_charset()
    if part.get_content_subtype() == "html" and not declared:
        from ..html.charset import declared_html_charset

        declared = declared_html_charset(payload)
    return decode(payload, declared)


@dataclass(frozen=True)
class RelatedParts:
    by_cid: dict[str, bytes]
    by_location: dict[str, bytes]


def related_parts(message: EmailMessage, base_url: str | None = None) -> RelatedParts:
    """Every leaf part's bytes by Content-ID and by absolute Content-Location."""
    by_cid: dict[str, bytes] = {}
    by_location: dict[str, bytes] = {}
    for count, part in enumerate(message.walk()):
        if count > MAX_PARTS:
            raise ArchiverError(f"more than {MAX_PARTS} MIME parts")
        if part.is_multipart():
            continue
        cid = content_id(header(part, "Content-ID"))
        location = header(part, "Content-Location")
        if not cid and not location:
            continue
        data = part.get_payload(decode=True)
        if not isinstance(data, bytes):
            continue
        if cid:
            by_cid.setdefault(cid, data)
        if location:
            by_location.setdefault(absolute(location, base_url) or location, data)
    return RelatedParts(by_cid, by_location)


def mime_defects(message: EmailMessage) -> list[str]:
    """The names of the structural problems the parser worked around, once each."""
    names: dict[str, None] = {}
    for part in message.walk():
        for defect in getattr(part, "defects", ()):
            names[type(defect).__name__.removesuffix("Defect")] = None
    return list(names)


_CID_REF = re.compile(r"""cid:[^"'\s)]+""", re.IGNORECASE)


@dataclass(frozen=True)
class InlineImage:
    key: str  # its Content-ID, or one made up for a part that has none
    data: bytes
    filename: str | None


def unreferenced_inline_images(message: EmailMessage, html: str) -> list[InlineImage]:
    """Image parts a mail client shows inline although the body never refers to them: parts of
    multipart/mixed after a text body (Netscape, Apple Mail) that are not attachments."""
    referenced = {(content_id(ref) or "").lower() for ref in _CID_REF.findall(html)}
    found = []
    for index, part in enumerate(message.walk()):
        if part.is_multipart() or part.get_content_maintype() != "image":
            continue
        if part.get_content_disposition() == "attachment":
            continue
        cid = content_id(header(part, "Content-ID"))
        if cid and cid.lower() in referenced:
            continue
        data = part.get_payload(decode=True)
        if isinstance(data, bytes) and data:
            found.append(InlineImage(cid or f"archiver-inline-part-{index}", data, part.get_filename()))
    return found
