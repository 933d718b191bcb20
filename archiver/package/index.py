"""What a package holds, and what finds it again: its articles in order, where each one's input
was read, what recognizes an input as one it has (its bytes, its address and text), the articles
at each address (an export's entry there is merged into it), and the inputs that failed.

Pure bookkeeping: the package (folder.py) reads the inputs' bytes and stores them; this decides
what is kept, skipped or merged.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..model import Article, Failure, Source
from ..urls import is_web_url
from . import manifest
from .manifest import Entry
from .merge import address_key, merge, mergeable

Key = tuple[str, ...]  # ("bytes", original's hash) or ("content", url, body hash)


@dataclass(frozen=True)
class Added:
    entry: Entry | None  # None: a duplicate, skipped, or merged into the article at the same address
    duplicate_of: str | None = None
    merged: bool = False  # the package's article at the same address took this one's tags and state


@dataclass(frozen=True)
class Kept:
    """One article as the package keeps it between runs (state.py)."""

    entry: Entry
    location: str  # where its input was read (absolute)
    keys: tuple[Key, ...]


class Index:
    def __init__(self) -> None:
        self.entries: list[Entry] = []
        self.failures: list[Failure] = []
        self.duplicates: list[str] = []  # skipped in this run
        self.merged: list[str] = []  # joined, in this run, to the article at the same address
        self._locations: dict[str, str] = {}  # article id -> where its input was read (absolute)
        self._entry_keys: dict[str, list[Key]] = {}
        self._keys: dict[Key, str] = {}  # identity or (url, body hash) -> the path kept
        self._addresses: dict[str, int] = {}  # an article's address -> its place in `entries`
        self._originals: dict[tuple[str, str | None], str] = {}  # (input hash, locator) -> original
        self._inputs: dict[str, str] = {}  # sha256 of an input file read -> its path in the package
        self._images: dict[str, bytes] = {}  # sha256 -> the one copy of those image bytes in memory

    def kept(self) -> list[Kept]:
        """Every article, as the state file keeps it."""
        return [
            Kept(e, self._locations[manifest.article_id(e)], tuple(self._entry_keys[manifest.article_id(e)]))
            for e in self.entries
        ]

    def restore(self, kept: Kept) -> None:
        """An article the package held before this run."""
        self._remember(
            Entry(self.interned(kept.entry.article), kept.entry.original), kept.keys, kept.location
        )

    def add(self, article: Article, original: str, location: str) -> Added:
        """Keep an article whose input's bytes hash to `original`, unless the package already has
        it: the same bytes as saved, or the same address with the same text. An export's entry at
        an address the package has is merged into that article (merge.py)."""
        article = self.interned(article)
        keys: list[Key] = [("bytes", original)]
        if article.url:
            keys.append(("content", article.url, hashlib.sha256(article.body.encode()).hexdigest()))
        address = address_key(article)
        if keys[0] not in self._keys and address in self._addresses:
            at = self._addresses[address]
            if mergeable(self.entries[at].article, article):
                return self._merge(at, Entry(article, original), keys, location)
        for key in keys:
            if key in self._keys:
                where = describe(article.source)
                self.duplicates.append(f"{where} is a duplicate of {self._keys[key]}, skipped")
                return Added(None, self._keys[key])
        entry = Entry(article, original)
        self._remember(entry, keys, location)
        return Added(entry)

    def _merge(self, at: int, new: Entry, keys: Sequence[Key], location: str) -> Added:
        """The article at the same address takes the new one's tags and state, and its text when
        it had only the address; the package keeps one article, its provenance both inputs."""
        kept = self.entries[at]
        merged = merge(kept.article, new.article)
        entry = Entry(merged, new.original if merged.source is new.article.source else kept.original)
        old_id, new_id = manifest.article_id(kept), manifest.article_id(entry)
        self.entries[at] = entry
        kept_location = self._locations.pop(old_id)
        self._locations[new_id] = location if entry.original == new.original else kept_location
        self._entry_keys[new_id] = self._entry_keys.pop(old_id) + list(keys)
        self._register(new.article.source, new.original, keys)
        where, into = describe(new.article.source), describe(kept.article.source)
        self.merged.append(f"{where} has the same address as {into}: merged into one article")
        return Added(None, into, merged=True)

    def links(self, refetch: bool = False, retry_dead: bool = False) -> list[tuple[int, Article]]:
        """The articles to capture, with their place in the package: those that hold only a web
        address and were not captured, or whose capture got no answer at all (DNS, refused,
        timed out: worth asking again); with `retry_dead` also dead ones (404: a fallback archive
        may have them); with `refetch`, every one captured before too."""

        def wanted(article: Article) -> bool:
            capture = article.capture
            if not is_web_url(article.url):
                return False
            if capture is None:
                return article.content == "link"
            return refetch or (capture.problem is not None and (retry_dead or not capture.hops))

        return [(index, entry.article) for index, entry in enumerate(self.entries) if wanted(entry.article)]

    def captured(self, index: int, article: Article) -> None:
        """The article at `index`, made from its capture (the same input, so the same entry)."""
        kept = self.entries[index]
        self.entries[index] = Entry(self.interned(article), kept.original)
        address = address_key(article)
        if address is not None:
            self._addresses.setdefault(address, index)

    def input_read(self, sha256: str) -> str | None:
        """Where the package has an input's articles from, when it read these bytes before."""
        return self._inputs.get(sha256)

    def fail(self, failure: Failure) -> None:
        """An input that could not be read, in place of what an earlier run said of it."""
        self.failures = [f for f in self.failures if (f.path, f.locator) != (failure.path, failure.locator)]
        self.failures.append(failure)

    def original(self, source: Source) -> str | None:
        """The hash of the stored bytes of an input the package holds an article of."""
        return self._originals.get((source.sha256, source.locator))

    def interned(self, article: Article) -> Article:
        """The article with each image's bytes shared with every other article that has the same
        image: a mailbox of newsletters repeats its logos thousands of times."""
        resources = []
        for resource in article.resources:
            if resource.data is not None and resource.sha256 is not None:
                resource = replace(resource, data=self._images.setdefault(resource.sha256, resource.data))
            resources.append(resource)
        return replace(article, resources=tuple(resources))

    def _remember(self, entry: Entry, keys: Sequence[Key], location: str) -> None:
        self.entries.append(entry)
        self._entry_keys[manifest.article_id(entry)] = list(keys)
        self._locations[manifest.article_id(entry)] = location
        address = address_key(entry.article)
        if address is not None:
            self._addresses.setdefault(address, len(self.entries) - 1)
        self._register(entry.article.source, entry.original, keys)

    def _register(self, source: Source, original: str, keys: Sequence[Key]) -> None:
        """An input's bytes found again by its source, and what recognizes it as a duplicate."""
        self._originals[(source.sha256, source.locator)] = original
        for key in keys:
            self._keys.setdefault(key, describe(source))
        self._inputs.setdefault(source.sha256, source.path)


def describe(source: Source) -> str:
    message_index, entry_index = source.recorded_indexes
    if message_index is not None:
        return f"{source.path} (message {message_index})"
    return source.path + (f" (entry {entry_index})" if entry_index is not None else "")
