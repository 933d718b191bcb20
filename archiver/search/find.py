"""A query asked of the package's search index: the articles that match, best first by FTS5's
BM25, each with a snippet around its words. Pure but for the connection it is given.

The query's words are analyzed for every language the package's articles are in, and the
stems that differ are alternatives ("running": run, for the English articles; running, for
the others), each stem the one the index recorded for the word (analysis.py says why). A word
that no article holds is taken as misspelt: the index's term nearest to it
(one letter off, two for long words, beginning with the same two letters) is searched instead,
and said so. fulltext.js does all of this the same way, on the shards the site holds."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from ..book.selection import Selection
from ..model import Article
from ..package.store import ObjectStore, article_from_record
from .analysis import CJK, NONE, Analyzer, fold, words
from .query import Part, Query, QueryError, parse
from .store import WEIGHTS, doc_count, languages, recorded_stems, unpacked, words_from

SNIPPET_WORDS = 30
SNIPPET_LEAD = 4  # words shown before the first one found
FUZZY = 8  # terms searched at most for a misspelt word


@dataclass(frozen=True)
class Compiled:
    """A query as the index is asked it."""

    expression: str  # FTS5's query syntax, every term quoted
    marked: frozenset[str]  # the terms whose words a snippet marks
    corrected: tuple[tuple[str, str], ...]  # (a word as typed, the words searched instead)


@dataclass(frozen=True)
class Hit:
    position: int
    id: str  # the article's manifest id
    score: float  # FTS5's bm25: lower is better
    article: Article  # its summary: no text, no images
    snippet: str
    marks: tuple[tuple[int, int], ...]  # where the snippet's found words are, [start, end)


def compile_query(
    query: Query,
    analyzers: Sequence[Analyzer],
    count: Callable[[str], int],
    near: Callable[[str], Iterable[tuple[str, str]]],
) -> Compiled:
    """The FTS5 query for a parsed one, given an analyzer for each of the package's stemming
    languages, how many articles hold a term (`count`), and the words the package holds that
    begin with two letters, each with the term it is indexed as (`near`)."""
    corrected: list[tuple[str, str]] = []
    marked: set[str] = set()

    def alternatives(part: Part, fix: bool) -> list[tuple[str, ...]]:
        found: list[tuple[str, ...]] = []
        for analyze in analyzers:
            terms = tuple(t for w in part.words for t in analyze.terms_of_word(w))
            if terms not in found:
                found.append(terms)
        if part.quoted or not fix:
            return found
        if CJK.search(part.words[0]):  # any of its pairs: a slip of one character breaks two
            found = list(dict.fromkeys((t,) for terms in found for t in terms))
        elif all(len(f) == 1 for f in found) and not any(count(f[0]) for f in found):
            fixed, instead = nearest(fold(part.words[0]), near, count)
            if fixed:
                corrected.append((part.words[0], " OR ".join(instead)))
                return [(term,) for term in fixed]
        return found

    def written(alternative: list[tuple[str, ...]]) -> str:
        quoted = [f'"{" ".join(terms)}"' for terms in alternative]
        return quoted[0] if len(quoted) == 1 else f"({' OR '.join(quoted)})"

    wanted = []
    for group in query.groups:
        unique = list(dict.fromkeys(a for part in group for a in alternatives(part, fix=True)))
        marked.update(t for terms in unique for t in terms)
        wanted.append(written(unique))
    expression = " AND ".join(wanted)
    if query.excluded:
        left_out = list(dict.fromkeys(a for part in query.excluded for a in alternatives(part, fix=False)))
        expression = f"({expression}) NOT {written(left_out)}"
    return Compiled(expression, frozenset(marked), tuple(corrected))


def nearest(
    word: str, near: Callable[[str], Iterable[tuple[str, str]]], count: Callable[[str], int]
) -> tuple[list[str], list[str]]:
    """The terms of the words the package holds nearest to a folded word no article holds:
    fewest edits (one for a word of four letters or more, two from eight), the same first two
    letters; the most held first, at most FUZZY of them. And those words, to say so."""
    limit = 2 if len(word) >= 8 else 1 if len(word) >= 4 else 0
    best: dict[str, set[str]] = {}  # term: the words that have it
    least = limit + 1
    for candidate, term in near(word[:2]):
        distance = edits(word, candidate, limit)
        if distance < least:
            best, least = {}, distance
        if distance == least and distance <= limit:
            best.setdefault(term, set()).add(candidate)
    ranked = sorted(best, key=lambda term: (-count(term), term))[:FUZZY]
    return ranked, sorted({w for term in ranked for w in best[term]})


def edits(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (a swap of two letters is one edit), or limit + 1 once
    it is known to be over the limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] = []
    row = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        before, row = row, current
    return row[-1]


def snippet(text: str, marked: frozenset[str], analyze: Analyzer) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Some thirty words of a text around the most of the query's words, and where those are
    (`analyze`: the analyzer of the text's language)."""
    spans = [
        (m.start(), m.end(), bool(marked.intersection(analyze.terms_of_word(m.group())))) for m in words(text)
    ]
    if not spans:
        return "", ()
    first, best = 0, (0, 0)
    for index, (_, _, hit) in enumerate(spans):
        if not hit:
            continue
        start = max(0, index - SNIPPET_LEAD)
        window = spans[start : start + SNIPPET_WORDS]
        found = {analyze.terms_of_word(text[s:e]) for s, e, h in window if h}
        score = (len(found), sum(h for _, _, h in window))
        if score > best:
            first, best = start, score
    last = min(len(spans), first + SNIPPET_WORDS) - 1
    begin, end = spans[first][0], spans[last][1]
    lead = "… " if first else ""
    shown = lead + " ".join(text[begin:end].split()) + (" …" if last < len(spans) - 1 else "")
    marks: list[tuple[int, int]] = []
    offset = len(lead)
    for match in words(shown[offset:]):
        if marked.intersection(analyze.terms_of_word(match.group())):
            marks.append((match.start() + offset, match.end() + offset))
    return shown, tuple(marks)


def search(
    db: sqlite3.Connection, store: ObjectStore, text: str, selection: Selection, limit: int
) -> tuple[Compiled, list[Hit]]:
    """The best `limit` articles for a query among those the selection holds."""
    analyzers = [Analyzer(key, recorded_stems(db, key)) for key in languages(db) or [NONE]]
    compiled = compile_query(
        parse(text), analyzers, lambda term: doc_count(db, term), lambda prefix: words_from(db, prefix)
    )
    return compiled, list(_hits(db, store, compiled, selection, limit))


def _hits(
    db: sqlite3.Connection, store: ObjectStore, compiled: Compiled, selection: Selection, limit: int
) -> Iterator[Hit]:
    weights = ", ".join(map(str, WEIGHTS))
    try:
        found = db.execute(
            f"SELECT rowid, bm25(words, {weights}) AS score FROM search.words WHERE words MATCH ?"
            " ORDER BY score, rowid",
            (compiled.expression,),
        )
    except sqlite3.OperationalError as exc:  # the expression is built to be valid: a bug if not
        raise QueryError(f"the search index refused the query ({exc})") from exc
    given = 0
    analyzers: dict[str, Analyzer] = {}  # the snippets', by language
    for position, score in found:
        if given >= limit:
            return
        row = db.execute(
            "SELECT a.summary, t.text, d.language, a.original FROM main.articles a JOIN search.docs d"
            " USING (position) JOIN search.texts t USING (position) WHERE position = ?",
            (position,),
        ).fetchone()
        if row is None:
            continue
        article = article_from_record(json.loads(row[0]), store)
        if not selection.holds(article):
            continue
        analyze = analyzers.get(row[2]) or analyzers.setdefault(row[2], Analyzer(row[2]))
        shown, marks = snippet(unpacked(row[1])[2], compiled.marked, analyze)
        given += 1
        yield Hit(position, f"urn:sha256:{row[3]}", float(score), article, shown, marks)
