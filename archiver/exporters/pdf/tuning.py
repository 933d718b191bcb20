"""Work that WeasyPrint's dependencies repeat for every part of a book, done once per process
(the font configuration, once per thread).

A book is rendered as many small documents, so what a library does once per document, or once
per distinct value, adds up. None of this alters a byte of what is rendered
(tests/test_pdf_tuning.py renders with and without it).
"""

from __future__ import annotations

import hashlib
import re
import threading
from pathlib import Path
from typing import Any

SIZED_ARRAY = re.compile(r"(\w+)\[(\d+)\]")
_PER_THREAD = threading.local()
_TUNING = threading.Lock()
_TUNED = threading.Event()


def tuned_fonts() -> Any:
    """This process tuned, once, and the font configuration that every document this thread
    renders shares. WeasyPrint makes a new one for each document it is not given one for:
    fontconfig's configuration loaded again, and a new Pango font map whose fonts, metrics and
    shapes are all looked up afresh. Shared, the bench's 40 parts took 2-10% less CPU, byte for
    byte the same. One per thread: a cluster worker may render on several, and a Pango font map
    is not made to be used from two threads at once."""
    with _TUNING:
        if not _TUNED.is_set():
            _sized_arrays_parsed_once()
            _same_patterns_one_dictionary()
            _TUNED.set()
    fonts = getattr(_PER_THREAD, "fonts", None)
    if fonts is None:
        from weasyprint.text.fonts import FontConfiguration

        fonts = _PER_THREAD.fonts = FontConfiguration()
    return fonts


def _sized_arrays_parsed_once() -> None:
    """WeasyPrint 70 subsets every font of every part with ffi.new(f"hb_codepoint_t[{n}]", items),
    and cffi parses a declaration text it has not seen with pycparser, 6 ms apiece: each font's
    glyph count cost a parse, about 130 of them for the bench's 40 articles. The same array,
    asked for as "hb_codepoint_t[]" with its n items, is built from the one type parsed once.
    Only the font module sees the change: the rest of WeasyPrint calls ffi.new 5,000 times a
    part, where any wrapper would cost more than it saves."""
    from weasyprint.pdf import fonts

    fonts.ffi = _ArraysOfAnyLength(fonts.ffi)


class _ArraysOfAnyLength:
    def __init__(self, ffi: Any) -> None:
        self._ffi = ffi

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ffi, name)

    def new(self, cdecl: Any, init: Any = None) -> Any:
        sized = SIZED_ARRAY.fullmatch(cdecl) if isinstance(cdecl, str) else None
        if sized is not None and isinstance(init, list | tuple) and len(init) == int(sized[2]):
            return self._ffi.new(f"{sized[1]}[]", init)
        return self._ffi.new(cdecl, init)


def _same_patterns_one_dictionary() -> None:
    """pyphen ships German as de_AT, de_CH and de_DE (and Norwegian as nb and nn): files that
    differ only in comments, each parsed on its own into a cache keyed by file. A collection
    with articles in "de" (pyphen's de_AT) and in "de-DE" parsed the same 66,000 patterns twice
    in every render worker, 1.2 s each time. Dictionaries are kept by what they hold instead."""
    import pyphen

    parse = pyphen.HyphDict
    by_patterns: dict[str, Any] = {}

    def shared(path: Path) -> Any:
        digest = _patterns_digest(path)
        if digest not in by_patterns:
            by_patterns[digest] = parse(path)
        return by_patterns[digest]

    pyphen.HyphDict = shared


def _patterns_digest(path: Path) -> str:
    """What pyphen.HyphDict reads of a dictionary: its encoding line, and every line but comments
    and the hyphen minimums, stripped."""
    import pyphen

    data = path.read_bytes()
    encoding, _, rest = data.partition(b"\n")
    try:
        declared = encoding.decode().strip()
        text = rest.decode("cp1251" if declared.lower() == "microsoft-cp1251" else declared)
    except (LookupError, UnicodeError):  # then it shares only with a byte-identical file
        return hashlib.sha256(data).hexdigest()
    lines = (line.strip() for line in text.split("\n"))
    kept = "\n".join(line for line in lines if line and not line.startswith(pyphen.ignored))
    return hashlib.sha256(f"{declared}\n{kept}".encode()).hexdigest()
