"""What a package holds, and what finds it again, on disk (`.archiver/index.sqlite`): its
articles in the order they were added, where each one's input was read, what recognizes an input
as one it has (its bytes, its address and text), the articles at each address (an export's entry
there is merged into it), and the inputs that failed.

On disk, not in memory, so that an export costs what it adds: a package of 100,000 articles is
looked up, not loaded. SQLite, through Python's own `sqlite3`: one file, transactions, indexes,
nothing to install or run, and a format the Library of Congress recommends for keeping data. An
article is loaded only when an output needs it. One export is one transaction, and that
transaction is also the package's commit point (commit.py): a run stopped before it leaves the
index as it was.

Pure bookkeeping: the package (folder.py) reads the inputs' bytes and stores them; this decides
what is kept, skipped or merged.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date
from pathlib import Path

from ..book.collection import as_datetime, titled
from ..errors import ArchiverError
from ..model import Article, Failure, Source
from ..search import store as search_index
from ..urls import is_web_url
from . import INDEX, manifest
from .grow import Row
from .manifest import Entry
from .merge import address_key, merge, mergeable
from .provenance import article_record
from .store import ObjectStore, article_from_record, article_to_record

NAME = INDEX
VERSION = 1
Key = tuple[str, ...]  # ("bytes", original's hash) or ("content", url, body hash)

SCHEMA = """
CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
-- position: the order articles were added in. original: the hash of the input's stored bytes,
-- the article's identity. capture: NULL (not a link to capture), 'none' (not yet), 'ok',
-- 'dead' (an answer, but no page) or 'unreached' (no answer at all)
CREATE TABLE articles (
    position INTEGER PRIMARY KEY,
    original TEXT NOT NULL UNIQUE,
    location TEXT NOT NULL,
    address TEXT,
    capture TEXT,
    warnings INTEGER NOT NULL,
    link INTEGER NOT NULL,
    record TEXT NOT NULL,
    digest TEXT NOT NULL,
    node TEXT NOT NULL,
    title TEXT,
    title_key TEXT NOT NULL,
    published TEXT,
    day TEXT,
    summary TEXT NOT NULL,
    provenance TEXT NOT NULL
);
CREATE INDEX articles_address ON articles (address);
-- what the search index is compared with (search/store.py), read without the articles' records
CREATE INDEX articles_digest ON articles (digest);
CREATE TABLE keys (key TEXT PRIMARY KEY, kept TEXT NOT NULL, position INTEGER NOT NULL);
CREATE TABLE inputs (sha256 TEXT PRIMARY KEY, path TEXT NOT NULL);
CREATE TABLE originals (sha256 TEXT NOT NULL, locator TEXT NOT NULL, original TEXT NOT NULL,
                        PRIMARY KEY (sha256, locator));
CREATE TABLE failures (seq INTEGER PRIMARY KEY, path TEXT NOT NULL, locator TEXT, problem TEXT NOT NULL);
-- the renames (staged -> final) and removals (staged NULL) of an export past its commit point
CREATE TABLE journal (seq INTEGER PRIMARY KEY, staged TEXT, final TEXT NOT NULL);
-- what the outputs of each selection were last written from (Package.recipe)
CREATE TABLE recipes (selection TEXT PRIMARY KEY, recipe TEXT NOT NULL);
-- the package's outputs, as the manifest lists them: selection is the JSON of the selection that
-- chose their articles ('null': the whole package), abridged [[position, note]], recipe what the
-- output was written from (grow.py)
CREATE TABLE outputs (name TEXT PRIMARY KEY, format TEXT NOT NULL, selection TEXT NOT NULL,
                      size INTEGER NOT NULL, sha256 TEXT NOT NULL, warnings TEXT NOT NULL,
                      abridged TEXT NOT NULL, recipe TEXT);
-- which articles each output holds, as they were when it was written (their record's hash)
CREATE TABLE held (output TEXT NOT NULL, position INTEGER NOT NULL, digest TEXT NOT NULL,
                   PRIMARY KEY (output, position));
"""


# What Index._columns gives, in its order
COLUMNS = (
    "address, capture, warnings, link, record, digest, node, "  # what finds and counts it, and it
    "title, title_key, published, day, summary, provenance"  # what orders, titles and lists it
)
MARKS = ", ".join("?" * len(COLUMNS.split(", ")))


@dataclass(frozen=True)
class Added:
    entry: Entry | None  # None: a duplicate, skipped, or merged into the article at the same address
    duplicate_of: str | None = None
    merged: bool = False  # the package's article at the same address took this one's tags and state


@dataclass(frozen=True)
class Stored:
    """An output as the index keeps it (the manifest's entry for it, by article position)."""

    name: str  # its path in the payload
    format: str
    selection: str  # JSON of Selection.record(): "null" for the whole package
    size: int
    sha256: str
    warnings: tuple[str, ...]
    abridged: tuple[tuple[int, str], ...]  # (position, what the output holds of it)
    recipe: str | None


@dataclass(frozen=True)
class Counts:
    """What a summary of the package says of its articles."""

    articles: int
    warnings: int
    links: int
    captured: int
    dead: int


def connect(path: Path) -> sqlite3.Connection:
    """The index in `path` (created when absent), inside a write transaction that only this
    export holds: a second export into the same folder is told so, not interleaved."""
    db = sqlite3.connect(path, isolation_level=None, timeout=0.5)
    db.execute("PRAGMA synchronous = FULL")  # the commit is the package's commit point
    search_index.attach(db, path.parent)  # one transaction for both (search/store.py)
    try:
        db.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        db.close()
        raise ArchiverError(f"another archiver command is writing {path.parent.parent} ({exc})") from exc
    if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone():
        for statement in filter(str.strip, SCHEMA.split(";")):  # executescript would commit
            db.execute(statement)
        db.execute("INSERT INTO meta VALUES ('version', ?)", (str(VERSION),))
    elif db.execute("SELECT value FROM meta WHERE name = 'version'").fetchone() != (str(VERSION),):
        db.close()
        raise ArchiverError(f"{path} was written by a newer archiver")
    else:  # an index written before it had this one
        db.execute("CREATE INDEX IF NOT EXISTS articles_digest ON articles (digest)")
    return db


class Index:
    """The package's index, in the export's transaction: what it holds, what an export adds to
    it, and what its outputs hold (the module says why on disk)."""

    def __init__(self, db: sqlite3.Connection, store: ObjectStore) -> None:
        self.db = db
        self.store = store
        self.duplicates: list[str] = []  # skipped in this run
        self.merged: list[str] = []  # joined, in this run, to the article at the same address
        self.changed = False  # an article was added, merged or captured in this run

    def __len__(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM articles").fetchone()[0])

    def rows(self) -> list[Row]:
        """Every article's place, identity and record hash, in the order they were added."""
        query = "SELECT position, original, digest FROM articles ORDER BY position"
        return [Row(*row) for row in self.db.execute(query)]

    def load(self, positions: Sequence[int]) -> list[Entry]:
        """The articles at these positions, in that order (the images they share, read once)."""
        shared: dict[str, bytes] = {}
        found: dict[int, Entry] = {}
        for start in range(0, len(positions), 500):
            chunk = positions[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            query = f"SELECT position, original, record FROM articles WHERE position IN ({marks})"
            for position, original, record in self.db.execute(query, chunk):
                found[position] = Entry(article_from_record(json.loads(record), self.store, shared), original)
        return [found[p] for p in positions]

    def record_output(self, output: Stored, positions: Sequence[int]) -> None:
        """An output written now, in place of any earlier one of the same name, holding the
        articles at `positions` as they are now."""
        self.drop_output(output.name)
        self.db.execute(
            "INSERT INTO outputs VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                output.name,
                output.format,
                output.selection,
                output.size,
                output.sha256,
                json.dumps(list(output.warnings), ensure_ascii=False),
                json.dumps([list(pair) for pair in output.abridged], ensure_ascii=False),
                output.recipe,
            ),
        )
        self.db.executemany(
            "INSERT OR REPLACE INTO held SELECT ?, position, digest FROM articles WHERE position = ?",
            [(output.name, position) for position in positions],
        )

    def drop_output(self, name: str) -> None:
        self.db.execute("DELETE FROM outputs WHERE name = ?", (name,))
        self.db.execute("DELETE FROM held WHERE output = ?", (name,))

    def stored_outputs(self) -> list[Stored]:
        """Every output the package holds, in the order of their names."""
        return [
            Stored(
                name,
                format_name,
                selection,
                size,
                sha256,
                tuple(json.loads(warnings)),
                tuple((int(p), str(n)) for p, n in json.loads(abridged)),
                recipe,
            )  # fmt: skip
            for name, format_name, selection, size, sha256, warnings, abridged, recipe in self.db.execute(
                "SELECT * FROM outputs ORDER BY name"
            )
        ]

    def held_by(self, name: str) -> tuple[list[str], list[str]]:
        """The ids of the articles an output holds as they are now, and of those it holds an
        earlier version of (a WARC of the series, written before the article was merged or
        captured): in the order they were added."""
        current: list[str] = []
        earlier: list[str] = []
        for original, same in self.db.execute(
            "SELECT a.original, a.digest = h.digest FROM held h JOIN articles a USING (position)"
            " WHERE h.output = ? ORDER BY a.position",
            (name,),
        ):
            (current if same else earlier).append(f"urn:sha256:{original}")
        return current, earlier

    def positions_of(self, originals: Sequence[str]) -> list[int]:
        """The positions of the articles with these ids' hashes, those the package still has."""
        found = []
        for original in originals:
            row = self.db.execute("SELECT position FROM articles WHERE original = ?", (original,)).fetchone()
            if row is not None:
                found.append(int(row[0]))
        return found

    def id_at(self, position: int) -> str:
        found = self.db.execute("SELECT original FROM articles WHERE position = ?", (position,)).fetchone()
        return f"urn:sha256:{found[0]}"

    def not_held(self, names: Sequence[str]) -> set[int]:
        """The positions of the articles that none of these outputs holds as they are now."""
        marks = ", ".join("?" * len(names))
        query = (
            "SELECT position FROM articles a WHERE NOT EXISTS (SELECT 1 FROM held h WHERE"
            f" h.position = a.position AND h.digest = a.digest AND h.output IN ({marks}))"
        )
        return {position for (position,) in self.db.execute(query, list(names))}

    def nodes(self, order: str) -> Iterator[str]:
        """Every article's manifest entry, in the outputs' order."""
        yield from (
            node for (node,) in self.db.execute(f"SELECT node FROM articles ORDER BY {_ORDER[order]}")
        )

    def provenance(self, order: str) -> Iterator[str]:
        """Every article's provenance record (provenance.py), as JSON, in the outputs' order."""
        query = f"SELECT provenance FROM articles ORDER BY {_ORDER[order]}"
        yield from (record for (record,) in self.db.execute(query))

    def summaries(self, order: str) -> Iterator[tuple[int, Article]]:
        """(position, summary) of every article in the outputs' order: what an index of the
        package shows of each, without its text or images."""
        query = f"SELECT position, summary FROM articles ORDER BY {_ORDER[order]}"
        for position, record in self.db.execute(query):
            yield position, article_from_record(json.loads(record), self.store)

    def span(self) -> tuple[date, date] | None:
        """The first and last day the articles were published (date_range, in SQL)."""
        first, last = self.db.execute("SELECT min(day), max(day) FROM articles").fetchone()
        return (date.fromisoformat(first), date.fromisoformat(last)) if first else None

    def title(self) -> str:
        """The package's title when the user gave none (collection_title, in SQL)."""
        count, only = self.db.execute("SELECT count(*), max(title) FROM articles").fetchone()
        return titled(count, only if count == 1 else None, self.span())

    def counts(self) -> Counts:
        row = self.db.execute(
            "SELECT count(*), coalesce(sum(warnings), 0), coalesce(sum(link), 0),"
            " coalesce(sum(capture = 'ok'), 0), coalesce(sum(capture IN ('dead', 'unreached')), 0)"
            " FROM articles"
        ).fetchone()
        return Counts(*map(int, row))

    @property
    def failures(self) -> list[Failure]:
        return [
            Failure(path, problem, locator)
            for path, locator, problem in self.db.execute(
                "SELECT path, locator, problem FROM failures ORDER BY seq"
            )
        ]

    def add(self, article: Article, original: str, location: str) -> Added:
        """Keep an article whose input's bytes hash to `original`, unless the package already has
        it: the same bytes as saved, or the same address with the same text. An export's entry at
        an address the package has is merged into that article (merge.py)."""
        keys: list[Key] = [("bytes", original)]
        if article.url:
            keys.append(("content", article.url, hashlib.sha256(article.body.encode()).hexdigest()))
        address = address_key(article)
        if self._kept(keys[0]) is None and address is not None:
            found = self.db.execute(
                "SELECT position, original, record FROM articles WHERE address = ? ORDER BY position LIMIT 1",
                (address,),
            ).fetchone()
            if found is not None:
                position, kept_original, record = found
                kept = article_from_record(json.loads(record), self.store)
                if mergeable(kept, article):
                    kept_entry, new_entry = Entry(kept, kept_original), Entry(article, original)
                    return self._merge(position, kept_entry, new_entry, keys, location)
        for key in keys:
            if (where := self._kept(key)) is not None:
                self.duplicates.append(f"{describe(article.source)} is a duplicate of {where}, skipped")
                return Added(None, where)
        entry = Entry(article, original)
        self._insert(entry, location, keys)
        self.changed = True
        return Added(entry)

    def _merge(self, position: int, kept: Entry, new: Entry, keys: Sequence[Key], location: str) -> Added:
        """The article at the same address takes the new one's tags and state, and its text when
        it had only the address; the package keeps one article, its provenance both inputs."""
        merged = merge(kept.article, new.article)
        took_new = merged.source is new.article.source
        original = new.original if took_new else kept.original
        self._update(position, merged, original)
        if took_new:
            self.db.execute(
                "UPDATE articles SET original = ?, location = ? WHERE position = ?",
                (original, location, position),
            )
        self._register(new.article.source, new.original, keys, position)
        self.changed = True
        where, into = describe(new.article.source), describe(kept.article.source)
        self.merged.append(f"{where} has the same address as {into}: merged into one article")
        return Added(None, into, merged=True)

    def links(self, refetch: bool = False, retry_dead: bool = False) -> Iterator[tuple[int, Article]]:
        """The articles to capture, with their place in the package: those that hold only a web
        address and were not captured, or whose capture got no answer at all (DNS, refused,
        timed out: worth asking again); with `retry_dead` also dead ones (404: a fallback archive
        may have them); with `refetch`, every one captured before too."""
        wanted = {"none", "unreached"} | ({"dead"} if retry_dead else set())
        if refetch:
            wanted |= {"ok", "dead"}
        marks = ", ".join("?" * len(wanted))
        query = f"SELECT position, record FROM articles WHERE capture IN ({marks}) ORDER BY position"
        for position, record in self.db.execute(query, sorted(wanted)).fetchall():
            yield position, article_from_record(json.loads(record), self.store)

    def captured(self, position: int, article: Article) -> None:
        """The article at `position`, made from its capture (the same input, so the same entry)."""
        original = self.db.execute("SELECT original FROM articles WHERE position = ?", (position,)).fetchone()
        self._update(position, article, str(original[0]))
        self.changed = True

    def input_read(self, sha256: str) -> str | None:
        """Where the package has an input's articles from, when it read these bytes before."""
        found = self.db.execute("SELECT path FROM inputs WHERE sha256 = ?", (sha256,)).fetchone()
        return None if found is None else str(found[0])

    def fail(self, failure: Failure) -> None:
        """An input that could not be read, in place of what an earlier run said of it."""
        self.db.execute(
            "DELETE FROM failures WHERE path = ? AND locator IS ?", (failure.path, failure.locator)
        )
        self.db.execute(
            "INSERT INTO failures (path, locator, problem) VALUES (?, ?, ?)",
            (failure.path, failure.locator, failure.problem),
        )

    def original(self, source: Source) -> str | None:
        """The hash of the stored bytes of an input the package holds an article of."""
        found = self.db.execute(
            "SELECT original FROM originals WHERE sha256 = ? AND locator = ?",
            (source.sha256, source.locator or ""),
        ).fetchone()
        return None if found is None else str(found[0])

    def restore(self, entry: Entry, location: str, keys: Sequence[Key]) -> None:
        """An article kept by a package written before the index was on disk (state.py)."""
        self._insert(entry, location, keys)
        for other in entry.article.also_from:  # the inputs merged into it are known by their source too
            self.db.execute("INSERT OR IGNORE INTO inputs VALUES (?, ?)", (other.sha256, other.path))

    def _insert(self, entry: Entry, location: str, keys: Sequence[Key]) -> None:
        cursor = self.db.execute(
            f"INSERT INTO articles (original, location, {COLUMNS}) VALUES (?, ?, {MARKS})",
            (entry.original, location, *self._columns(entry.article, entry.original)),
        )
        self._register(entry.article.source, entry.original, keys, int(cursor.lastrowid or 0))

    def _columns(self, article: Article, original: str) -> tuple[str | int | None, ...]:
        """The values of COLUMNS for an article: what finds it, what summaries count, its record
        and its manifest entry, and what outputs order it by."""
        record = json.dumps(article_to_record(article, self.store), ensure_ascii=False, sort_keys=True)
        published = as_datetime(article.published) if article.published is not None else None
        return (
            address_key(article),
            _capture_state(article),
            len(article.warnings),
            int(article.content == "link"),
            record,
            hashlib.sha256(record.encode()).hexdigest(),
            manifest.node_text(Entry(article, original)),
            article.title,
            (article.title or "").casefold(),
            published.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f") if published else None,
            published.date().isoformat() if published else None,
            json.dumps(article_to_record(summary(article), self.store), ensure_ascii=False, sort_keys=True),
            json.dumps(article_record(article), ensure_ascii=False, indent=2),
        )

    def _update(self, position: int, article: Article, original: str) -> None:
        assignments = ", ".join(f"{column} = ?" for column in COLUMNS.split(", "))
        self.db.execute(
            f"UPDATE articles SET {assignments} WHERE position = ?",
            (*self._columns(article, original), position),
        )

    def digest(self) -> str:
        """What the package's articles are, in their order, as one hash: the same articles with
        the same records give the same hash, read from the index without loading an article."""
        total = hashlib.sha256()
        for original, digest in self.db.execute("SELECT original, digest FROM articles ORDER BY position"):
            total.update(f"{original} {digest}\n".encode())
        return total.hexdigest()

    def recipe(self, selection: str) -> str | None:
        """What the outputs of a selection were last written from."""
        found = self.db.execute("SELECT recipe FROM recipes WHERE selection = ?", (selection,)).fetchone()
        return None if found is None else str(found[0])

    def wrote(self, selection: str, recipe: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO recipes VALUES (?, ?)", (selection, recipe))

    def _kept(self, key: Key) -> str | None:
        found = self.db.execute("SELECT kept FROM keys WHERE key = ?", (json.dumps(key),)).fetchone()
        return None if found is None else str(found[0])

    def _register(self, source: Source, original: str, keys: Sequence[Key], position: int) -> None:
        """An input's bytes found again by its source, and what recognizes it as a duplicate."""
        self.db.execute(
            "INSERT OR REPLACE INTO originals VALUES (?, ?, ?)",
            (source.sha256, source.locator or "", original),
        )
        self.db.executemany(
            "INSERT OR IGNORE INTO keys VALUES (?, ?, ?)",
            [(json.dumps(key), describe(source), position) for key in keys],
        )
        self.db.execute("INSERT OR IGNORE INTO inputs VALUES (?, ?)", (source.sha256, source.path))


# order_articles, in SQL: by date, the dated first and the undated after, each in the order added
_ORDER = {
    "input": "position",
    "date": "published IS NULL, published, position",
    "title": "title_key, position",
}


def summary(article: Article) -> Article:
    """What an index of the package shows of an article (the site's listing): all but its text,
    its images and its capture."""
    return replace(article, body="", resources=(), capture=None)


def _capture_state(article: Article) -> str | None:
    capture = article.capture
    if not is_web_url(article.url):
        return None
    if capture is None:
        return "none" if article.content == "link" else None
    if capture.problem is None:
        return "ok"
    return "dead" if capture.hops else "unreached"


def describe(source: Source) -> str:
    message_index, entry_index = source.recorded_indexes
    if message_index is not None:
        return f"{source.path} (message {message_index})"
    return source.path + (f" (entry {entry_index})" if entry_index is not None else "")
