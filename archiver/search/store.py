"""The package's search index, `.archiver/search.sqlite`: SQLite's FTS5, through Python's own
`sqlite3`, beside the package's index (package/index.py) and attached to its connection, so that
an export updates both in one transaction.

The index holds terms, not text: each article's title, byline (authors, outlet, tags) and body,
analyzed (analysis.py) in the article's language, in a contentless FTS5 table with the `ascii`
tokenizer (terms are already folded and split; it only has to cut at the spaces). Beside it,
each article's terms as they were indexed (zlib), which a change of the article needs to take
them out again and from which the site's shards are written, and the stem of every word.

An export brings it up to date with what changed (sync): an article is analyzed again only when
its record's hash is not the one it was indexed from. Deleted, it is rebuilt by the next export.
"""

from __future__ import annotations

import json
import sqlite3
import unicodedata
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..html.text import plain_text
from .analysis import WORD, Analyzer, stemming

NAME = "search.sqlite"
VERSION = "1"
SCHEMA = (
    "CREATE TABLE search.meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    # language: the stemming key the article was analyzed with; length: its terms, all columns.
    # Small rows, apart from the texts: what a search reads of every article stays a few MB.
    "CREATE TABLE search.docs (position INTEGER PRIMARY KEY, digest TEXT NOT NULL,"
    " language TEXT NOT NULL, length INTEGER NOT NULL)",
    "CREATE INDEX search.docs_language ON docs (language)",
    # text: zlib of the JSON list of its columns' text (snippets, the site's shards); terms: the
    # same of its columns' terms, each column a string of terms separated by spaces
    "CREATE TABLE search.texts (position INTEGER PRIMARY KEY, text BLOB NOT NULL, terms BLOB NOT NULL)",
    "CREATE VIRTUAL TABLE search.words USING fts5(title, byline, body, content='', tokenize='ascii')",
    "CREATE VIRTUAL TABLE search.vocab USING fts5vocab(words, 'row')",
    "CREATE TABLE search.stems (word TEXT NOT NULL, language TEXT NOT NULL, stem TEXT NOT NULL,"
    " PRIMARY KEY (word, language)) WITHOUT ROWID",
)
COLUMNS = ("title", "byline", "body")
WEIGHTS = (10.0, 3.0, 1.0)  # a word of the title counts as ten of the body (bm25's column weights)


@dataclass(frozen=True)
class Status:
    """How far the search index is from the package's articles."""

    present: bool
    stale: int  # articles not indexed, or indexed from an earlier record
    gone: int  # indexed articles the package no longer has

    @property
    def current(self) -> bool:
        return self.present and not self.stale and not self.gone


def attach(db: sqlite3.Connection, folder: Path, readonly: bool = False) -> bool:
    """Attach the search index in `folder` to the package index's connection (outside a
    transaction: SQLite attaches only there), creating it unless `readonly`. False when there
    is none to read, or it was written by another version (the next export rebuilds it)."""
    path = folder / NAME
    if readonly:
        if not path.is_file():
            return False
        db.execute("ATTACH DATABASE ? AS search", (f"{path.resolve().as_uri()}?mode=ro",))
    else:
        db.execute("ATTACH DATABASE ? AS search", (str(path),))
    tables = {name for (name,) in db.execute("SELECT name FROM search.sqlite_master")}
    if "meta" in tables:
        found = db.execute("SELECT value FROM search.meta WHERE name = 'version'").fetchone()
        if found == (VERSION,):
            return True
        if readonly:
            return False
    if not readonly:
        db.execute("BEGIN")
        for name in tables & {"meta", "docs", "texts", "words", "vocab", "stems"}:
            db.execute(f"DROP TABLE search.{name}")
        for statement in SCHEMA:
            db.execute(statement)
        db.execute("INSERT INTO search.meta VALUES ('version', ?)", (VERSION,))
        db.execute("COMMIT")
    return not readonly


def status(db: sqlite3.Connection, thorough: bool = True) -> Status:
    """How far the index is from the package's articles: thorough, each article's record hash
    against the one it was indexed from (verify, and each export); else their counts alone,
    what a search can afford to say at every query (an index left behind by an archiver that
    did not search, or a copy of an older one)."""
    if not thorough:
        articles = db.execute("SELECT count(*) FROM main.articles").fetchone()[0]
        indexed = db.execute("SELECT count(*) FROM search.docs").fetchone()[0]
        return Status(True, max(0, articles - indexed), max(0, indexed - articles))
    stale = db.execute(
        "SELECT count(*) FROM main.articles a LEFT JOIN search.docs d USING (position)"
        " WHERE d.digest IS NOT a.digest"
    ).fetchone()[0]
    gone = db.execute(
        "SELECT count(*) FROM search.docs WHERE position NOT IN (SELECT position FROM main.articles)"
    ).fetchone()[0]
    return Status(True, int(stale), int(gone))


def sync(db: sqlite3.Connection) -> int:
    """Index what the package's articles are now, in the transaction the caller holds: the
    articles added or changed since, analyzed; those gone, taken out. How many were indexed."""
    for (position,) in db.execute(
        "SELECT position FROM search.docs WHERE position NOT IN (SELECT position FROM main.articles)"
    ).fetchall():
        _remove(db, position)
    stale = [
        position
        for (position,) in db.execute(
            "SELECT a.position FROM main.articles a LEFT JOIN search.docs d USING (position)"
            " WHERE d.digest IS NOT a.digest ORDER BY a.position"
        )
    ]  # listed first: the loop below writes the table this reads
    kept: set[tuple[str, str]] = set()  # the (language, word) whose stems this sync has kept
    analyzers: dict[str, Analyzer] = {}  # by language, for this sync
    for start in range(0, len(stale), 200):
        chunk = stale[start : start + 200]
        marks = ", ".join("?" * len(chunk))
        query = f"SELECT position, digest, record FROM main.articles WHERE position IN ({marks})"
        for position, digest, record in db.execute(query, chunk).fetchall():
            _remove(db, position)
            _insert(db, position, digest, json.loads(record), analyzers, kept)
    return len(stale)


def _insert(
    db: sqlite3.Connection,
    position: int,
    digest: str,
    record: dict[str, object],
    analyzers: dict[str, Analyzer],
    kept: set[tuple[str, str]],
) -> None:
    key = stemming(str(record["language"] or ""))
    analyze = analyzers.get(key) or analyzers.setdefault(key, Analyzer(key))
    texts = indexed_text(record)
    analyzed = [analyze.terms(text) for text in texts]
    columns = [" ".join(terms) for terms in analyzed]
    db.execute(
        "INSERT INTO search.words (rowid, title, byline, body) VALUES (?, ?, ?, ?)",
        (position, *columns),
    )
    db.execute(
        "INSERT INTO search.docs VALUES (?, ?, ?, ?)", (position, digest, key, sum(map(len, analyzed)))
    )
    db.execute("INSERT INTO search.texts VALUES (?, ?, ?)", (position, packed(texts), packed(columns)))
    # the stems of its words, for the site: each once a sync, however many articles hold it
    stems = {pair for text in texts for word in set(WORD.findall(text)) for pair in analyze.stemmed(word)}
    new = [(word, key, stem) for word, stem in stems if (key, word) not in kept]
    db.executemany("INSERT OR IGNORE INTO search.stems VALUES (?, ?, ?)", new)
    kept.update((key, word) for word, _, _ in new)


def packed(columns: Sequence[str]) -> bytes:
    return zlib.compress(json.dumps(list(columns), ensure_ascii=False).encode(), 6)


def unpacked(data: bytes) -> list[str]:
    return [str(column) for column in json.loads(zlib.decompress(data))]


def _remove(db: sqlite3.Connection, position: int) -> None:
    found = db.execute("SELECT terms FROM search.texts WHERE position = ?", (position,)).fetchone()
    if found is None:
        return
    columns = unpacked(found[0])
    db.execute(
        "INSERT INTO search.words (words, rowid, title, byline, body) VALUES ('delete', ?, ?, ?, ?)",
        (position, *columns),
    )
    db.execute("DELETE FROM search.docs WHERE position = ?", (position,))
    db.execute("DELETE FROM search.texts WHERE position = ?", (position,))


def indexed_text(record: dict[str, object]) -> tuple[str, str, str]:
    """What of an article (its record, store.py) is searched: title, byline, body as text."""
    authors = [str(a) for a in record.get("authors") or ()]  # type: ignore[attr-defined]
    tags = [str(t) for t in record.get("tags") or ()]  # type: ignore[attr-defined]
    byline = " ".join([*authors, str(record.get("outlet") or ""), *tags])
    title, body = str(record.get("title") or ""), plain_text(str(record.get("body") or ""))
    return tuple(unicodedata.normalize("NFC", text) for text in (title, byline, body))  # type: ignore[return-value]


def languages(db: sqlite3.Connection) -> list[str]:
    """The stemming languages the indexed articles were analyzed with (NONE: not stemmed)."""
    return [key for (key,) in db.execute("SELECT DISTINCT language FROM search.docs ORDER BY language")]


def doc_count(db: sqlite3.Connection, term: str) -> int:
    found = db.execute("SELECT doc FROM search.vocab WHERE term = ?", (term,)).fetchone()
    return 0 if found is None else int(found[0])


def recorded_stems(db: sqlite3.Connection, key: str) -> Callable[[str], str]:
    """The stem the articles of a language gave a folded word, or the word as it is."""

    def stem(folded: str) -> str:
        found = db.execute(
            "SELECT stem FROM search.stems WHERE word = ? AND language = ?", (folded, key)
        ).fetchone()
        return folded if found is None else str(found[0])

    return stem


def words_from(db: sqlite3.Connection, prefix: str) -> Iterator[tuple[str, str]]:
    """The folded words the package holds that begin with `prefix`, each with its term: the
    stemmed words, from the stems kept, and the others, which are terms themselves."""
    upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    yield from db.execute(
        "SELECT word, stem FROM search.stems WHERE word >= ?1 AND word < ?2"
        " UNION SELECT term, term FROM search.vocab WHERE term >= ?1 AND term < ?2",
        (prefix, upper),
    )
