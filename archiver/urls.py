"""URL and reference handling: relative links, data: URIs (RFC 2397) and cid: URLs (RFC 2392)."""

from __future__ import annotations

import base64
import binascii
import re
from urllib.parse import unquote, unquote_to_bytes, urljoin, urlsplit

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
