"""Bytes to text for documents whose charset is declared wrongly, or not at all."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
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
    for bom, name in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                      (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(name, "replace"), f"bom:{name}"
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
        return utf8, "utf-8" if codec == "utf-8" or not declared else f"utf-8 (declared {declared} did not fit)"
    matches = from_bytes(data[:200_000])
    best = matches.best()
    if best is not None and best.encoding:
        encoding = best.encoding
        # Short texts leave several single-byte charsets tied; windows-1252 is what an unlabeled
        # Western page most often is (and what WHATWG tells browsers to assume).
        if any(m.encoding == "cp1252" and m.percent_chaos == best.percent_chaos
               and m.percent_coherence == best.percent_coherence for m in matches):
            encoding = "cp1252"
        return data.decode(encoding, "replace"), f"detected:{encoding}"
    return data.decode("cp1252", "replace"), "fallback:cp1252"


def xml_safe(text: str) -> str:
    """Drop the characters XML 1.0 cannot hold (form feeds, lone surrogates, ...)."""
    return _XML_INVALID.sub("", text)
