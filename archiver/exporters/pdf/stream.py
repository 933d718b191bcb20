"""A PDF written object by object, straight to its file: only each object's offset stays in memory.

qpdf (through pikepdf) parses and adjusts each part, and serializes each of its objects; what qpdf
cannot do is write a book as it goes, since it holds every object of a document until it is
saved (about 240 kB per bound article, 2.3 GB for 10,000 articles, measured). This module only
renumbers the objects of one part at a time into the book's numbering and appends them.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from array import array
from collections import deque
from typing import BinaryIO

import pikepdf

ObjGen = tuple[int, int]
OBJECTS_PER_STREAM = 100  # as qpdf packs them

# An indirect reference in qpdf's unparsed syntax: strings come first in the alternation, so a
# "1 0 R" inside a string (qpdf escapes every parenthesis in one) is never taken for one.
_TOKENS = re.compile(
    rb"\((?:[^\\)]|\\.)*\)|<[0-9A-Fa-f\s]*>|(?<![^\s\[\]<>(){}/%])(\d+) (\d+) R(?![^\s\[\]<>(){}/%])",
    re.DOTALL,
)


class PdfStreamWriter:
    """Objects are numbered when allocated and written in any order; finish() writes the cross
    reference and the trailer. From PDF 1.5 on, objects other than streams are packed into
    compressed object streams, as qpdf packs them, with a cross-reference stream. The file
    identifier is a hash of everything written, so the same book always has the same bytes."""

    def __init__(self, out: BinaryIO, version: str) -> None:
        self._out = out
        self._digest = hashlib.md5(usedforsecurity=False)
        self._packing = version >= "1.5"
        self._batch: list[tuple[int, bytes]] = []  # objects waiting for their object stream
        # cross-reference entries: type (0 free or unwritten, 1 at an offset, 2 in an object stream),
        # then the offset or object stream's number, then the generation or index in that stream
        self._types, self._fields, self._indexes = array("B", [0]), array("q", [0]), array("l", [65535])
        self._position = 0
        self._put(b"%PDF-" + version.encode("ascii") + b"\n%\xe2\xe3\xcf\xd3\n")

    def allocate(self, count: int = 1) -> int:
        """The first of `count` new object numbers."""
        first = len(self._types)
        self._types.extend(bytes(count))
        self._fields.extend([0] * count)
        self._indexes.extend([0] * count)
        return first

    def write(self, number: int, body: bytes, data: bytes | None = None) -> None:
        """An object, or with `data` a stream whose dictionary is `body` (its /Length is added)."""
        if self._types[number] != 0:
            raise ValueError(f"object {number} written twice")
        if data is not None:
            body = body[:-2] + b"/Length %d >>\nstream\n" % len(data) + data + b"\nendstream"
        elif self._packing:
            self._types[number] = 2  # its place is known when its object stream is written
            self._batch.append((number, body))
            if len(self._batch) == OBJECTS_PER_STREAM:
                self._pack()
            return
        self._types[number], self._fields[number] = 1, self._position
        self._put(b"%d 0 obj\n" % number + body + b"\nendobj\n")

    def finish(self, root: int, info: int | None) -> None:
        if self._batch:
            self._pack()
        missing = [n for n in range(1, len(self._types)) if self._types[n] == 0]
        if missing:
            raise ValueError(f"objects allocated but never written: {missing[:5]}")
        start = self._position
        number = self.allocate() if self._packing else 0  # the cross-reference stream's own
        identifier = self._digest.hexdigest().encode()
        trailer = b"/Size %d /Root %d 0 R" % (len(self._types), root)
        if info is not None:
            trailer += b" /Info %d 0 R" % info
        trailer += b" /ID [ <" + identifier + b"> <" + identifier + b"> ]"
        if self._packing:
            self._types[number], self._fields[number] = 1, start
            width = max(1, (max(self._fields).bit_length() + 7) // 8)
            rows = b"".join(
                bytes([kind]) + field.to_bytes(width, "big") + index.to_bytes(2, "big")
                for kind, field, index in zip(self._types, self._fields, self._indexes, strict=True)
            )
            data = zlib.compress(rows)
            self._put(
                b"%d 0 obj\n<< /Type /XRef %s /W [ 1 %d 2 ] /Filter /FlateDecode /Length %d >>\nstream\n"
                % (number, trailer, width, len(data))
                + data
                + b"\nendstream\nendobj\n"
            )
        else:
            table = [b"xref\n0 %d\n0000000000 65535 f \n" % len(self._types)]
            table += [b"%010d 00000 n \n" % offset for offset in self._fields[1:]]
            self._put(b"".join(table) + b"trailer\n<< " + trailer + b" >>\n")
        self._put(b"startxref\n%d\n%%%%EOF\n" % start)

    def _pack(self) -> None:
        stream = self.allocate()
        heads, bodies, offset = [], [], 0
        for index, (number, body) in enumerate(self._batch):
            self._types[number], self._fields[number], self._indexes[number] = 2, stream, index
            heads.append(b"%d %d" % (number, offset))
            bodies.append(body)
            offset += len(body) + 1
        head = b" ".join(heads) + b"\n"
        data = zlib.compress(head + b"\n".join(bodies) + b"\n")
        count, self._batch = len(self._batch), []
        self.write(
            stream, b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode >>" % (count, len(head)), data
        )

    def _put(self, data: bytes) -> None:
        self._out.write(data)
        self._digest.update(data)
        self._position += len(data)


class ObjectCopier:
    """Copies objects of one source document into the book, each once, with everything they refer
    to. `fixed` names book numbers for some source objects (a page whose number was reserved, a
    placeholder standing for a book object): those are referred to, never copied."""

    def __init__(
        self, book: PdfStreamWriter, source: pikepdf.Pdf, fixed: dict[ObjGen, int] | None = None
    ) -> None:
        self._book = book
        self._source = source
        self._numbers: dict[ObjGen, int] = dict(fixed or {})
        self._pending: deque[tuple[ObjGen, int]] = deque()
        self._written: set[ObjGen] = set()

    def copy(self, obj: pikepdf.Object, number: int | None = None, extra: bytes = b"") -> int:
        """Write an indirect object (as `number`, if given; `extra` entries added to a dictionary),
        then everything it refers to. Returns its number in the book."""
        objgen = obj.objgen
        if number is None:
            number = self._number_of(objgen)
        else:
            self._numbers[objgen] = number
        self._written.add(objgen)
        self._book.write(number, *self._body(obj, extra))
        self.drain()
        return number

    def unparse(self, obj: pikepdf.Object) -> bytes:
        """A direct object in the book's numbering; what it refers to is copied later (drain)."""
        return self._renumber(obj.unparse(resolved=True))

    def drain(self) -> None:
        """Copy every object referred to so far and not yet written."""
        while self._pending:
            objgen, number = self._pending.popleft()
            if objgen not in self._written:
                self._written.add(objgen)
                self._book.write(number, *self._body(self._source.get_object(objgen)))

    def _body(self, obj: pikepdf.Object, extra: bytes = b"") -> tuple[bytes, bytes | None]:
        """The object in the book's numbering, and a stream's (still encoded) data."""
        if isinstance(obj, pikepdf.Stream):
            raw = obj.read_raw_bytes()
            entries = pikepdf.Dictionary({k: v for k, v in obj.stream_dict.items() if k != "/Length"})
            return self._renumber(entries.unparse(resolved=True))[:-2] + extra + b" >>", raw
        body = self._renumber(obj.unparse(resolved=True))
        if extra:
            if not isinstance(obj, pikepdf.Dictionary):
                raise TypeError("entries can only be added to a dictionary")
            body = body[:-2] + extra + b" >>"
        return body, None

    def _renumber(self, unparsed: bytes) -> bytes:
        return _TOKENS.sub(self._reference, unparsed)

    def _reference(self, match: re.Match[bytes]) -> bytes:
        if match.group(1) is None:
            return match.group(0)  # a string, left as it is
        return b"%d 0 R" % self._number_of((int(match.group(1)), int(match.group(2))))

    def _number_of(self, objgen: ObjGen) -> int:
        number = self._numbers.get(objgen)
        if number is None:
            number = self._numbers[objgen] = self._book.allocate()
            self._pending.append((objgen, number))
        return number
