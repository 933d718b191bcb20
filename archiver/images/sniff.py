"""Media types from bytes, following the WHATWG MIME Sniffing image patterns.

Headers and file names lie (a "photo.jpg" that is really an HTML error page is common in
saved pages), so a resource's type is always taken from its first bytes.
"""

from __future__ import annotations

import re

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"BM", "image/bmp"),
    (b"\x00\x00\x01\x00", "image/x-icon"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"\xff\x0a", "image/jxl"),
    (b"\x00\x00\x00\x0cJXL \r\n\x87\n", "image/jxl"),
)
_FTYP_BRANDS = {
    b"avif": "image/avif",
    b"avis": "image/avif",
    b"heic": "image/heic",
    b"heix": "image/heic",
    b"mif1": "image/heic",
}
_SVG = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*|<!DOCTYPE[^>]*>\s*)*<svg[\s>]", re.DOTALL | re.IGNORECASE
)


def sniff_image(data: bytes) -> str | None:
    """The image media type of `data`, or None when the bytes are not an image we know."""
    for magic, media_type in _SIGNATURES:
        if data.startswith(magic):
            # "BM" alone is weak: require the BMP header's reserved zero bytes too.
            if media_type == "image/bmp" and (len(data) < 10 or data[6:10] != b"\0\0\0\0"):
                continue
            return media_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[4:8] == b"ftyp":
        return _FTYP_BRANDS.get(data[8:12])
    head = data[:4096].lstrip(b"\xef\xbb\xbf")
    if _SVG.match(head):
        return "image/svg+xml"
    return None


_CONTROLS = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))


def looks_binary(data: bytes) -> bool:
    """True for bytes that no text document would hold: NULs or many control characters."""
    sample = data[:8192]
    if not sample:
        return False
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 text has NULs but is text
        return False
    # A stray NUL or control character happens in real saved pages (browsers replace it);
    # binary formats have them everywhere.
    controls = len(sample) - len(sample.translate(None, _CONTROLS))
    return sample.count(0) / len(sample) > 0.01 or controls / len(sample) > 0.05
