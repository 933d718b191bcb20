"""Every change archiver makes to a third-party library, in one place, and only for as long as
archiver's own work runs.

A library's names are swapped inside `applied()` and put back when the last caller leaves it, so
a process that calls `archiver.read()` or `archiver.export()` finds its libraries as they were.
Each patch checks, before it is first applied, that its target is still there with the
signature it was written for: an upgrade that moves one fails at once, naming it, instead of
quietly losing the saving or breaking a render (tests/test_patches.py pins each).

None of them changes a result: each saves work that a library repeats (the measurements are in
the replacements' docstrings; tests/test_pdf_tuning.py renders with and without them).
The reports for upstream are in docs/upstream/. Pillow's bounds are settings, not patches:
images/check.py sets them for one image's opening and puts the caller's back.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..dates import date_parser

SIZED_ARRAY = re.compile(r"(\w+)\[(\d+)\]")


class PatchTargetMoved(RuntimeError):
    """A library no longer has what a patch replaces: archiver needs updating for its version."""


@dataclass(frozen=True)
class Patch:
    module: str
    name: str
    parameters: tuple[str, ...]  # what calling the target takes, as the replacement expects it
    replacement: Callable[[Any], Any]  # given the library's own object, what stands in for it
    called: str = ""  # the target's attribute that is called, when it is not called itself

    def checked(self, found: Any) -> Any:
        """`found`, the library's own object, once it is known to be what this patch was
        written for."""
        callee = getattr(found, self.called, None) if self.called else found
        try:
            taken = tuple(inspect.signature(callee).parameters) if callable(callee) else None
        except (TypeError, ValueError):
            taken = None
        if taken != self.parameters:
            where = f"{self.module}.{self.name}" + (f".{self.called}" if self.called else "")
            raise PatchTargetMoved(
                f"{where} is not what archiver patches (it takes {taken}, archiver expects "
                f"{self.parameters}): see archiver/runtime/patches.py"
            )
        return found


def _arrays_of_any_length(ffi: Any) -> Any:
    return _ArraysOfAnyLength(ffi)


class _ArraysOfAnyLength:
    """WeasyPrint 70 subsets every font of every part with ffi.new(f"hb_codepoint_t[{n}]", items),
    and cffi parses a declaration text it has not seen with pycparser, 6 ms apiece: each font's
    glyph count cost a parse, about 130 of them for the bench's 40 articles. The same array,
    asked for as "hb_codepoint_t[]" with its n items, is built from the one type parsed once.
    Only the font module sees the change: the rest of WeasyPrint calls ffi.new 5,000 times a
    part, where any wrapper would cost more than it saves."""

    def __init__(self, ffi: Any) -> None:
        self._ffi = ffi

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ffi, name)

    def new(self, cdecl: Any, init: Any = None) -> Any:
        sized = SIZED_ARRAY.fullmatch(cdecl) if isinstance(cdecl, str) else None
        if sized is not None and isinstance(init, list | tuple) and len(init) == int(sized[2]):
            return self._ffi.new(f"{sized[1]}[]", init)
        return self._ffi.new(cdecl, init)


def _one_dictionary_per_patterns(parse: Any) -> Callable[[Path], Any]:
    """pyphen ships German as de_AT, de_CH and de_DE (and Norwegian as nb and nn): files that
    differ only in comments, each parsed on its own into a cache keyed by file. A collection
    with articles in "de" (pyphen's de_AT) and in "de-DE" parsed the same 66,000 patterns twice
    in every render worker, 1.2 s each time. Dictionaries are kept by what they hold instead."""
    by_patterns: dict[str, Any] = {}

    def shared(path: Path) -> Any:
        digest = _patterns_digest(path)
        if digest not in by_patterns:
            by_patterns[digest] = parse(path)
        return by_patterns[digest]

    return shared


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


def _our_date_parser(_: Any) -> Callable[[], Any]:
    return date_parser


FONT_ARRAYS = Patch("weasyprint.pdf.fonts", "ffi", ("cdecl", "init"), _arrays_of_any_length, called="new")
HYPHENATION = Patch("pyphen", "HyphDict", ("path",), _one_dictionary_per_patterns)
DATE_PARSER = Patch("htmldate.extractors", "get_external_parser", (), _our_date_parser)


class _Scopes:
    """The patches in force while any thread is inside applied(): the first to enter puts them
    in, the last to leave takes them out. A replacement is made once per library object, so its
    savings (parsed types, dictionaries) last from one scope to the next."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._inside: dict[Patch, int] = {}
        self._made: dict[Patch, tuple[Any, Any]] = {}  # the library's object, and ours for it

    def enter(self, patches: tuple[Patch, ...]) -> None:
        with self._lock:
            for patch in patches:
                if not self._inside.get(patch):
                    module = importlib.import_module(patch.module)
                    original = getattr(module, patch.name, None)
                    if patch not in self._made or self._made[patch][0] is not original:
                        self._made[patch] = (original, patch.replacement(patch.checked(original)))
                    setattr(module, patch.name, self._made[patch][1])
                self._inside[patch] = self._inside.get(patch, 0) + 1

    def leave(self, patches: tuple[Patch, ...]) -> None:
        with self._lock:
            for patch in patches:
                self._inside[patch] -= 1
                if not self._inside[patch]:
                    setattr(importlib.import_module(patch.module), patch.name, self._made[patch][0])


_SCOPES = _Scopes()


@contextmanager
def applied(*patches: Patch) -> Iterator[None]:
    """`patches` in force in this process for the duration of the block (their targets checked
    first: PatchTargetMoved names one that moved), and the library as it was after it."""
    _SCOPES.enter(patches)
    try:
        yield
    finally:
        _SCOPES.leave(patches)
