"""URL and reference handling: relative links, data: URIs (RFC 2397) and cid: URLs (RFC 2392)."""

from __future__ import annotations

import base64
import binascii
import re
from urllib.parse import quote, unquote, unquote_to_bytes, urljoin, urlsplit, urlunsplit

from .errors import ArchiverError

WEB_SCHEMES = ("http", "https")
LINK_SCHEMES = ("http", "https", "mailto", "ftp", "ftps", "tel", "news", "gopher", "irc")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_WS = re.compile(r"[\s\x00-\x1f]+")


def scheme(ref: str) -> str | None:
    """The lower-cased scheme, ignoring the whitespace and controls browsers ignore too
    ("java\\tscript:" is still javascript:)."""
    match = _SCHEME.match(_WS.sub("", ref))
    return match.group(1).lower() if match else None


def is_web_url(url: str | None) -> bool:
    return bool(url) and scheme(url or "") in WEB_SCHEMES and bool(urlsplit(url or "").netloc)


def absolute(ref: str, base: str | None) -> str | None:
    """`ref` made absolute against `base` when possible; None when it stays relative."""
    ref = ref.strip()
    if scheme(ref):
        return ref
    if base and is_web_url(base):
        try:
            return urljoin(base, ref)
        except ValueError:
            return None
    return None


_HREF_SAFE = "%/:=&?~#+!$,;'@()*-._"


def normalize_href(url: str) -> str | None:
    """A URL as browsers send it: spaces, brackets, braces and non-ASCII characters in path,
    query and fragment percent-encoded, an international host name in its ASCII form. None
    when the URL cannot be made valid (RFC 3986), for it would only be a broken link."""
    try:
        parts = urlsplit(url.strip())
        hostname = parts.hostname
    except ValueError:
        return None
    netloc = parts.netloc
    if hostname and not hostname.isascii():
        try:
            netloc = netloc.replace(hostname, hostname.encode("idna").decode("ascii"))
        except UnicodeError:
            return None
    if not netloc.isascii() or any(c in netloc for c in ' <>"{}|^`'):
        return None
    path, query, fragment = (quote(p, safe=_HREF_SAFE) for p in (parts.path, parts.query, parts.fragment))
    return urlunsplit((parts.scheme, netloc, path, query, fragment))


LIVE_SCHEMES = ("http", "https", "mailto")  # the links archiver writes itself may go only there
_IGNORED_AROUND = "".join(map(chr, range(0x21)))  # C0 controls and space, stripped at both ends
_IGNORED_INSIDE = re.compile(r"[\t\n\r]")  # removed anywhere (the WHATWG URL parser)


def link_href(url: str | None) -> str | None:
    """The href for an address archiver writes as a link itself (an article's source, the saved
    links, provenance, the site, the PDF's link annotations, the WARC's conversion records):
    http, https or mailto only, checked as a browser reads the address (any case, controls and
    whitespace dropped); None for anything else (javascript:, data:, vbscript:, a relative
    reference), which is then shown as text."""
    if not url:
        return None
    cleaned = _IGNORED_INSIDE.sub("", url.strip(_IGNORED_AROUND))
    match = _SCHEME.match(cleaned)
    if not match or match.group(1).lower() not in LIVE_SCHEMES:
        return None
    href = normalize_href(cleaned)
    return href if href and scheme(href) in LIVE_SCHEMES else None


def host(url: str | None) -> str | None:
    if not url:
        return None
    try:
        name = urlsplit(url).hostname
    except ValueError:
        return None
    return name.lower() if name else None


def parse_data_uri(uri: str) -> tuple[str | None, bytes]:
    """(declared media type, bytes) of a data: URI; ArchiverError when it is malformed."""
    header, sep, payload = uri.partition(",")
    if not sep or scheme(header) != "data":
        raise ArchiverError("malformed data: URI")
    params = header.split(":", 1)[1].split(";")
    media_type = params[0].strip().lower() or None
    if any(p.strip().lower() == "base64" for p in params[1:]):
        try:
            return media_type, base64.b64decode(_WS.sub("", unquote(payload)) + "==", validate=False)
        except (binascii.Error, ValueError) as exc:
            raise ArchiverError(f"data: URI with bad base64 ({exc})") from exc
    return media_type, unquote_to_bytes(payload)


def content_id(value: str | None) -> str | None:
    """The key a Content-ID header and a cid: URL share: no angle brackets, no %-escapes
    (RFC 2392 writes the same id as `<a@b>` in the header and `cid:a@b` in a URL)."""
    if not value:
        return None
    value = value.strip()
    if scheme(value) == "cid":
        value = unquote(value.split(":", 1)[1])
    return value.strip().strip("<>").strip() or None
