"""A search as people type it: words, "a phrase", -left-out, this OR that. Parsed here into
parts, never handed to FTS5 as written: the index's query is built from the parts' terms, each
one quoted (store.py), so no query can be one FTS5 refuses or reads as its own syntax.

fulltext.js (styles/) parses a query by the same rules."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import ArchiverError
from .analysis import WORD

MAX_WORDS = 64  # more is not a search but a paste; FTS5 would spend seconds on it
TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')  # fulltext.js: the same pattern


class QueryError(ArchiverError):
    """A query that finds nothing by its form, said in one line."""


@dataclass(frozen=True)
class Part:
    """A word, or the words of a quoted phrase, which must stand side by side."""

    words: tuple[str, ...]
    quoted: bool = False


@dataclass(frozen=True)
class Query:
    """Every group must match an article, any part of a group will do; no excluded part may."""

    groups: tuple[tuple[Part, ...], ...]
    excluded: tuple[Part, ...]


def parse(text: str) -> Query:
    groups: list[list[Part]] = []
    excluded: list[Part] = []
    joining = False  # the last token was OR: the next part joins the last group
    count = 0
    for match in TOKEN.finditer(text):
        minus, phrase, bare = match.groups()
        if bare == "OR":
            joining = bool(groups)
            continue
        negated = bool(minus) or (bare is not None and bare.startswith("-"))
        found = tuple(w.group() for w in WORD.finditer(phrase if bare is None else bare))
        count += len(found)
        if count > MAX_WORDS:
            words = len(WORD.findall(text))
            raise QueryError(f"a query of at most {MAX_WORDS} words, please (this one has {words})")
        # a phrase only in quotes: "d'information" or "birch-tar" are words side by side, each
        # one to find, as if typed apart
        parts = (
            [Part((word,)) for word in found] if bare is not None else [Part(found, True)] if found else []
        )
        for number, part in enumerate(parts):
            if negated:
                excluded.append(part)
            elif joining and number == 0:
                groups[-1].append(part)
            else:
                groups.append([part])
        if parts:
            joining = False
    if not groups:
        raise QueryError(
            "say what to look for: a query of only words to leave out finds nothing"
            if excluded
            else "the query has no words to look for"
        )
    return Query(tuple(tuple(g) for g in groups), tuple(excluded))
