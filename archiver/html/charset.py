"""Bytes to text for documents whose charset is declared wrongly, or not at all."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.IGNORECASE)
_SINGLE_BYTE = {"cp1252", "iso8859-1", "ascii", "iso8859-15", "cp1250", "cp1251", "latin-1"}
# XML 1.0 forbids most C0 controls, lone surrogates and U+FFFE/U+FFFF: XHTML outputs must not carry them.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def codec_name(label: str | None) -> str | None:
    """Python's codec for a charset label, with the WHATWG rule that latin-1 means windows-1252."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    return "cp1252" if name in ("iso8859-1", "ascii", "latin-1") else name


def declared_html_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii", "replace") if match else None


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode `data`, returning (text, how): BOM, then the declared charset if the bytes fit it,
    then UTF-8, then charset detection. A single-byte declaration loses to valid UTF-8 with
    multi-byte sequences, which is what a wrong declaration almost always hides."""
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return data[len(bom) :].decode(name, "replace"), f"bom:{name}"
    codec = codec_name(declared)
    utf8: str | None
    try:
        utf8 = data.decode("utf-8")
    except UnicodeDecodeError:
        utf8 = None
    if codec and codec != "utf-8":
        if utf8 is not None and codec in _SINGLE_BYTE and not utf8.isascii():
            return utf8, f"utf-8 (declared {declared} did not fit)"
        try:
            return data.decode(codec), f"declared:{codec}"
        except UnicodeDecodeError:
            pass
    if utf8 is not None:
        return (
            utf8,
            "utf-8" if codec == "utf-8" or not declared else f"utf-8 (declared {declared} did not fit)",
        )
    if codec == "utf-8" and _mostly_utf8(data):
        # declared, and right but for a stray byte or two: browsers decode it as UTF-8, each bad
        # byte a replacement character; guessing another charset would garble every letter
        return data.decode("utf-8", "replace"), "utf-8 (declared; a few bytes not UTF-8, replaced)"
    if _plausibly_western(data):
        return data.decode("cp1252"), "detected:cp1252"
    best = from_bytes(data[:200_000]).best()
    if best is not None and best.encoding:
        return data.decode(best.encoding, "replace"), f"detected:{best.encoding}"
    return data.decode("cp1252", "replace"), "fallback:cp1252"


_HIGH_BYTES = bytes(range(0x80, 0x100))


def _mostly_utf8(data: bytes) -> bool:
    """Nearly all of the non-ASCII bytes form valid UTF-8 sequences (at most 1 in 100 does not)."""
    bad = data.decode("utf-8", "replace").count("\ufffd") - data.decode("utf-8", "ignore").count("\ufffd")
    multibyte = len(data) - len(data.translate(None, _HIGH_BYTES))
    return bad <= max(3, multibyte // 100)


_WESTERN_LETTERS = re.compile(
    "[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e]"
)
_WESTERN_MARKS = re.compile(
    "[\u00a0\u00ab\u00bb\u00b0\u00a9\u00ae\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e\u2022\u2026\u20ac]"
)


def _plausibly_western(data: bytes) -> bool:
    """windows-1252 text (what unlabeled Western pages and mails most often are): its
    non-ASCII characters are accented letters and typographic marks, and few. Statistical
    detection often calls short French or German text Central European instead. Cyrillic or
    Greek bytes read this way would be nothing but accented letters, so the share decides."""
    try:
        text = data[:200_000].decode("cp1252")
    except UnicodeDecodeError:
        return False
    letters = sum(1 for c in text if c.isalpha())
    accented = len(_WESTERN_LETTERS.findall(text))
    other = sum(1 for c in text if ord(c) > 127) - accented - len(_WESTERN_MARKS.findall(text))
    return other == 0 and letters > 0 and accented / letters < 0.25


# HTML maps C1 control characters to windows-1252's printable ones (WHATWG numeric character
# references); pages mis-encoded that way show them as curly quotes and dashes in browsers.
_C1 = {code: bytes([code]).decode("cp1252", "ignore") for code in range(0x80, 0xA0)}
_C1_PRESENT = re.compile("[\x80-\x9f]")
_UNUSUAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x80-\x9f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """Drop the characters XML 1.0 cannot hold (form feeds, lone surrogates, ...), and read C1
    controls as browsers do."""
    if not _UNUSUAL.search(text):  # nearly every text: one scan, nothing to change
        return text
    text = _XML_INVALID.sub("", text)
    return text.translate(_C1) if _C1_PRESENT.search(text) else text  # translate() is slow; C1 is rare


def charset_warnings(how: str | None) -> tuple[str, ...]:
    """A warning when the charset was guessed rather than declared: the text may be wrong."""
    if how and how.startswith(("detected", "fallback", "utf-8 (")):
        return (f"charset: {how}",)
    return ()
