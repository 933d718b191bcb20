"""JSON built only within bounds: an export's entry is assembled from the parser's events, and one
nested deeper or holding more than the bounds allow is skipped event by event, never built, so
that 200 kB of brackets cannot take gigabytes (a list nested 100,000 deep built by ijson's
`items` took 23 GB) and every later entry still comes out.

The events come from ijson's `basic_parse`, which keeps no path prefix: a prefix grows with the
depth, and building one per event made a deep list quadratic before anything was built.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from ..errors import ArchiverError

_STARTS = ("start_map", "start_array")
_ENDS = ("end_map", "end_array")


@dataclass(frozen=True)
class JsonBounds:
    """What one value may hold. Real exports nest an entry 3 to 6 levels deep (a wallabag
    annotation's ranges) and carry an article's text in a string of a few MB."""

    depth: int = 64  # containers inside one another
    size: int = 64 * 2**20  # characters of its strings and keys, and one for every value


ENTRY = JsonBounds()
DOCUMENT = JsonBounds(depth=256)  # a bookmark backup's folders, two levels each, are one document


class TooLarge(ArchiverError):
    """A value past its bounds: skipped, not built."""


def list_items(handle: IO[bytes], bounds: JsonBounds = ENTRY) -> Iterator[Any]:
    """Each item of the top-level JSON list, in order; an item past `bounds` is given as a
    TooLarge instead of the item, and the next one is read. ArchiverError when the JSON is not a
    list, or breaks off (the items before it have come out)."""
    import ijson

    count = 0
    try:
        events = ijson.basic_parse(handle, use_float=True)
        first, _ = next(events, ("", None))
        if first != "start_array":
            raise ArchiverError("the JSON is not a list of entries")
        for event, value in events:
            if event == "end_array":
                return
            yield _value(event, value, events, bounds)
            count += 1
    except ijson.JSONError as exc:
        raise ArchiverError(f"not valid JSON after entry {count} ({_one_line(exc)})") from exc


def document(handle: IO[bytes], bounds: JsonBounds = DOCUMENT) -> Any:
    """A JSON document whole, within `bounds`; ArchiverError when it is past them or not JSON."""
    import ijson

    try:
        events = ijson.basic_parse(handle, use_float=True)
        event, value = next(events, ("", None))
        if not event:
            raise ArchiverError("not valid JSON (empty)")
        found = _value(event, value, events, bounds)
        if next(events, None) is not None:
            raise ArchiverError("not valid JSON (more after the document)")
    except ijson.JSONError as exc:
        raise ArchiverError(f"not valid JSON ({_one_line(exc)})") from exc
    if isinstance(found, TooLarge):
        raise found
    return found


def _one_line(exc: Exception) -> str:
    """yajl's message draws the place in the text over several lines: its first says what."""
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _value(event: str, value: Any, events: Iterator[tuple[str, Any]], bounds: JsonBounds) -> Any:
    """The value that starts with (event, value), taking its events from `events`."""
    if event not in _STARTS:
        if isinstance(value, str) and len(value) > bounds.size:
            return TooLarge(f"a value of over {bounds.size:,} characters; not read")
        return value
    root: Any = {} if event == "start_map" else []
    stack: list[Any] = [root]
    key: str | None = None
    keys: list[str | None] = []  # the key each open container is filed under in its parent
    size = 1
    for event, value in events:
        if event in _ENDS:
            stack.pop()
            if not stack:
                return root
            key = keys.pop()
            continue
        size += 1 + (len(value) if isinstance(value, str) else 0)
        if event == "map_key":
            key = value
            continue
        item: Any = {} if event == "start_map" else [] if event == "start_array" else value
        parent = stack[-1]
        if isinstance(parent, dict):
            parent[key] = item
        else:
            parent.append(item)
        if event in _STARTS:
            stack.append(item)
            keys.append(key)
            if len(stack) > bounds.depth:
                return _skipped(events, len(stack), f"nested deeper than {bounds.depth} levels; not read")
        if size > bounds.size:
            return _skipped(events, len(stack), f"larger than {bounds.size:,} characters; not read")
    raise ArchiverError("not valid JSON (it breaks off)")


def _skipped(events: Iterator[tuple[str, Any]], depth: int, why: str) -> TooLarge:
    """The rest of a value past its bounds, read and dropped: only its depth is kept."""
    for event, _ in events:
        if event in _STARTS:
            depth += 1
        elif event in _ENDS:
            depth -= 1
            if depth == 0:
                return TooLarge(why)
    raise ArchiverError("not valid JSON (it breaks off)")
