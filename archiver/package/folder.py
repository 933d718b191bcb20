"""A package folder: the outputs, manifest.json, and in `.archiver/` what the next export into
the same folder needs (the articles already in it, their inputs' bytes, rendered PDF parts).

An export adds articles to what the folder holds, skips duplicates, writes every new file
(outputs, manifest, state, bag tags) into a staging folder, and only then replaces the package's
files in one commit (commit.py): a run that fails, is killed or fills the disk midway leaves the
previous package whole and its manifest true.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..atomic import write_atomic
from ..book.collection import collection_title, order_articles
from ..book.selection import Selection
from ..capture.store import CaptureStore
from ..errors import ArchiverError
from ..exporters import BY_MEDIA_TYPE, EXPORTERS, ExportOptions
from ..exporters.base import Written
from ..exporters.outputs import export_all
from ..hashing import sha256_file, sha256_output
from ..language import with_language
from ..model import Article, Failure, Source
from ..runtime.interrupts import raise_if_pressed
from ..urls import is_web_url
from . import manifest
from .bag import bag_tags
from .commit import commit, finish
from .manifest import Entry, Output
from .merge import address_key, merge, mergeable
from .originals import Originals
from .store import ObjectStore, article_from_record, article_to_record

STATE_FOLDER = ".archiver"
# 4: a mailbox's message has its index as entry_index, as an export's entry has;
# 3: every article that states no language was given one from its text when read (language.py);
# 2: the locator as fields (a message's index, its Message-ID). 1, 2 and 3 are still read, and
# brought up to 4.
STATE_VERSION = 4


@dataclass(frozen=True)
class Added:
    entry: Entry | None  # None: a duplicate, skipped, or merged into the article at the same address
    duplicate_of: str | None = None
    merged: bool = False  # the package's article at the same address took this one's tags and state


class Package:
    def __init__(self, out: Path, bag: bool = False) -> None:
        self.out = out
        self.bag = bag
        self.payload = out / "data" if bag else out
        self.state = out / STATE_FOLDER
        self.store = ObjectStore(self.state / "objects")
        self.captures = CaptureStore(self.state / "captures", self.store)  # kept as they complete
        self.entries: list[Entry] = []
        self.locations: dict[str, str] = {}  # article id -> where its input was read (absolute)
        self.failures: list[Failure] = []
        self.duplicates: list[str] = []  # skipped in this run
        self.merged: list[str] = []  # joined, in this run, to the article at the same address
        self._originals = Originals()
        self._keys: dict[tuple[str, ...], str] = {}  # identity or (url, body hash) -> the path kept
        self._addresses: dict[str, int] = {}  # an article's address -> its place in `entries`
        self._entry_keys: dict[str, list[list[str]]] = {}
        self._originals_by_source: dict[tuple[str, str | None], str] = {}
        self._inputs: dict[str, str] = {}  # sha256 of an input file read -> its path in the package
        self._images: dict[str, bytes] = {}  # sha256 -> the one copy of those image bytes in memory
        _check_writable(out)
        finish(self.out, self.state)  # an earlier export stopped after its commit point, if any
        self._load()

    def add(self, article: Article, given: str) -> Added:
        """Keep an article read from the input argument `given`, unless the package already has
        it: the same bytes as saved, or the same address with the same text. An export's entry at
        an address the package has is merged into that article (merge.py)."""
        original = self.store.put(self._originals.read(article.source))
        location = os.path.abspath(article.source.path)
        source = replace(article.source, path=relative_input_path(article.source.path, given))
        article = self._interned(replace(article, source=source))
        keys: list[tuple[str, ...]] = [("bytes", original)]
        if article.url:
            keys.append(("content", article.url, hashlib.sha256(article.body.encode()).hexdigest()))
        address = address_key(article)
        if keys[0] not in self._keys and address in self._addresses:
            at = self._addresses[address]
            if mergeable(self.entries[at].article, article):
                return self._merge(at, Entry(article, original), keys, location)
        for key in keys:
            if key in self._keys:
                where = _describe(source)
                self.duplicates.append(f"{where} is a duplicate of {self._keys[key]}, skipped")
                return Added(None, self._keys[key])
        entry = Entry(article, original)
        self._remember(entry, keys, location)
        return Added(entry)

    def _merge(self, at: int, new: Entry, keys: Sequence[tuple[str, ...]], location: str) -> Added:
        """The article at the same address takes the new one's tags and state, and its text when
        it had only the address; the package keeps one article, its provenance both inputs."""
        kept = self.entries[at]
        merged = merge(kept.article, new.article)
        entry = Entry(merged, new.original if merged.source is new.article.source else kept.original)
        old_id, new_id = manifest.article_id(kept), manifest.article_id(entry)
        self.entries[at] = entry
        kept_location = self.locations.pop(old_id)
        self.locations[new_id] = location if entry.original == new.original else kept_location
        self._entry_keys[new_id] = self._entry_keys.pop(old_id) + [list(k) for k in keys]
        self._register(new.article.source, new.original, keys)
        where, into = _describe(new.article.source), _describe(kept.article.source)
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
        self.entries[index] = Entry(self._interned(article), kept.original)
        address = address_key(article)
        if address is not None:
            self._addresses.setdefault(address, index)

    def already_read(self, path: Path, shown: str, given: str) -> str | None:
        """Where the package has this input's articles from, when it read the same bytes before:
        then reading it again is skipped, which is most of what a rebuild would cost."""
        if not path.is_file():  # a named pipe would block; reading it reports what it is
            return None
        kept = self._inputs.get(sha256_file(path)[0])
        if kept is not None:
            self.duplicates.append(
                f"{relative_input_path(shown, given)} is a duplicate of {kept} "
                "(the same input, already read), skipped"
            )
        return kept

    def fail(self, failure: Failure, given: str) -> None:
        failure = replace(failure, path=relative_input_path(failure.path, given))
        self.failures = [f for f in self.failures if (f.path, f.locator) != (failure.path, failure.locator)]
        self.failures.append(failure)

    def write(
        self,
        formats: Sequence[str],
        options: ExportOptions,
        per_article: bool = False,
        order: str = "input",
        cache: bool = True,
        selection: Selection | None = None,
    ) -> Iterator[Written]:
        """Each output as it is written; the package changes, in one commit, only once the last
        one is: a caller that stops iterating early leaves the package as it was. With a
        selection, the outputs hold the package's articles it picks, and the outputs of other
        selections stay."""
        if not self.entries:
            raise ArchiverError("no articles could be read; nothing written")
        selection = selection or Selection()
        picked = selection.pick([e.article for e in self.entries])
        if not picked:
            raise ArchiverError(f"no article in the package is {selection.describe()}; nothing written")
        by_article = {id(e.article): e for e in self.entries}
        ordered = [by_article[id(a)] for a in order_articles(picked, order)]
        held = [by_article[id(a)] for a in order_articles([e.article for e in self.entries], order)]
        package_title = options.title or collection_title([e.article for e in held])
        if not selection.everything and options.title is None:
            titled = collection_title(picked)
            options = replace(
                options,
                title=titled
                if len(picked) == 1
                else titled.replace("Saved articles", f"Saved articles {selection.describe()}", 1),
            )
        staging = self.state / "staging"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        options = replace(
            options,
            original=self._original,
            # Without the cache, parts still go in the package when a cluster's workers render
            # them there (a temporary folder here is out of their reach); staging goes at the
            # commit. Through a store (--store), they come back here, into a temporary folder.
            cache=self.state / "cache"
            if cache
            else staging / "parts"
            if options.runner.cluster is not None and options.runner.store is None
            else None,
            captures=self.captures,
        )
        written = []
        for result in export_all([e.article for e in ordered], staging, formats, options, per_article):
            written.append(result)
            yield result
        previous = self._previous_outputs()
        failed_formats = {r.exporter.name for r in written if r.error is not None}
        outputs, moves = [], []
        for result in written:
            if result.error is None:
                outputs.append(_output(result.dest.name, result, by_article, selection.record()))
                moves.append((result.dest, self.payload / result.dest.name))
        for name, earlier in previous.items():
            other_book = earlier.selection != selection.record()
            if (other_book or earlier.exporter.name in failed_formats) and name not in {
                o.path for o in outputs
            }:
                outputs.append(earlier)  # not rewritten: the earlier file is untouched and its entry true
        removals = [self.payload / name for name in set(previous) - {o.path for o in outputs}]
        standards = {exporter.name: exporter.conforms_to(options) for exporter in EXPORTERS}
        document = manifest.build(  # the whole package, whichever articles this export's outputs hold
            package_title, held, outputs, self.failures, self.duplicates + self.merged, standards
        )
        write_atomic(staging / manifest.NAME, manifest.dumps(document))
        write_atomic(staging / "state.json", self._state())
        moves += [
            (staging / manifest.NAME, self.payload / manifest.NAME),
            (staging / "state.json", self.state / "state.json"),
        ]
        if self.bag:
            tags = bag_tags(self._payload_after(moves, removals), package_title, len(held), options.author)
            for name, data in tags.items():
                write_atomic(staging / name, data)
                moves.append((staging / name, self.out / name))
        self.payload.mkdir(parents=True, exist_ok=True)
        raise_if_pressed()  # a Ctrl-C that something swallowed still stops short of the commit point
        commit(self.out, self.state, moves, removals)

    def _original(self, source: Source) -> bytes:
        found = self._originals_by_source.get((source.sha256, source.locator))
        if found is None:
            raise ArchiverError(f"no stored copy of {source.path}")
        return self.store.get(found)

    def _interned(self, article: Article) -> Article:
        """The article with each image's bytes shared with every other article that has the same
        image: a mailbox of newsletters repeats its logos thousands of times."""
        resources = []
        for resource in article.resources:
            if resource.data is not None and resource.sha256 is not None:
                resource = replace(resource, data=self._images.setdefault(resource.sha256, resource.data))
            resources.append(resource)
        return replace(article, resources=tuple(resources))

    def _remember(self, entry: Entry, keys: Sequence[tuple[str, ...]], location: str) -> None:
        self.entries.append(entry)
        self._entry_keys[manifest.article_id(entry)] = [list(k) for k in keys]
        self.locations[manifest.article_id(entry)] = location
        address = address_key(entry.article)
        if address is not None:
            self._addresses.setdefault(address, len(self.entries) - 1)
        self._register(entry.article.source, entry.original, keys)

    def _register(self, source: Source, original: str, keys: Sequence[tuple[str, ...]]) -> None:
        """An input's bytes found again by its source, and what recognizes it as a duplicate."""
        self._originals_by_source[(source.sha256, source.locator)] = original
        for key in keys:
            self._keys.setdefault(key, _describe(source))
        self._inputs.setdefault(source.sha256, source.path)

    def _previous_outputs(self) -> dict[str, Output]:
        """The outputs the current manifest lists, to keep an entry whose file was not rewritten."""
        try:
            document = json.loads((self.payload / manifest.NAME).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        found = {}
        for node in document.get("associatedMedia", []):
            exporter = BY_MEDIA_TYPE.get(str(node.get("encodingFormat")))
            path = str(node.get("contentUrl", ""))
            if exporter is not None and path and "/" not in path and (self.payload / path).exists():
                found[path] = Output(
                    path,
                    exporter,
                    int(node["contentSize"]),
                    str(node["sha256"]),
                    tuple(d["@id"] for d in node.get("prov:wasDerivedFrom", [])),
                    tuple((d["@id"], d["description"]) for d in node.get("archiver:abridged", [])),
                    tuple(node.get("archiver:warnings", [])),
                    node.get("archiver:selection"),
                )
        return found

    def _load(self) -> None:
        path = self.state / "state.json"
        if not path.is_file():
            return
        try:
            state = json.loads(path.read_text(encoding="utf-8"))
            version = state.get("version")
            if version not in (1, 2, 3, STATE_VERSION):
                raise ValueError(f"state version {version}")
            for item in state["articles"]:
                article = article_from_record(item["article"], self.store)
                entry = Entry(
                    self._interned(with_language(article) if version < 3 else article), item["original"]
                )
                self._remember(entry, [tuple(k) for k in item["keys"]], item["location"])
            self.failures = [Failure(f["path"], f["problem"], f["locator"]) for f in state["failures"]]
        except (OSError, ValueError, KeyError, TypeError, ArchiverError) as exc:
            raise ArchiverError(
                f"{self.out} holds a package archiver cannot continue ({exc}); export into a new folder"
            ) from exc

    def _payload_after(self, moves: Sequence[tuple[Path, Path]], removals: Sequence[Path]) -> dict[str, Path]:
        """The bag's payload once the commit is done: path in the bag -> where its bytes are now."""
        replaced = [*removals, *(final for _, final in moves)]  # a folder output goes whole, files and all
        present = [p for p in self.payload.rglob("*") if p.is_file()] if self.payload.is_dir() else []
        payload = {
            p.relative_to(self.out).as_posix(): p
            for p in present
            if not any(p == gone or p.is_relative_to(gone) for gone in replaced)
        }
        for staged, final in moves:
            if final.is_relative_to(self.payload):
                files = [p for p in staged.rglob("*") if p.is_file()] if staged.is_dir() else [staged]
                payload.update(
                    {(final / p.relative_to(staged)).relative_to(self.out).as_posix(): p for p in files}
                )
        return payload

    def _state(self) -> bytes:
        state: dict[str, Any] = {
            "version": STATE_VERSION,
            "articles": [
                {
                    "article": article_to_record(e.article, self.store),
                    "original": e.original,
                    "location": self.locations[manifest.article_id(e)],
                    "keys": self._entry_keys[manifest.article_id(e)],
                }
                for e in self.entries
            ],
            "failures": [{"path": f.path, "problem": f.problem, "locator": f.locator} for f in self.failures],
        }
        return json.dumps(state, ensure_ascii=False, sort_keys=True).encode()


def _check_writable(out: Path) -> None:
    """Fail before reading a mailbox for an hour, not after."""
    if out.exists() and not out.is_dir():
        raise ArchiverError(f"--out {out} is a file, not a folder; name a folder to write the package into")
    try:
        (out / STATE_FOLDER).mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out / STATE_FOLDER):
            pass
    except OSError as exc:
        raise ArchiverError(
            f"cannot write into --out {out} ({exc.strerror}); choose a folder you can write to"
        ) from exc


def relative_input_path(path: str, given: str) -> str:
    """The input's path from the folder that holds the input argument: "examples/mail/a.eml" for
    `archiver export examples/`, wherever the command ran; never an absolute path of the user's."""
    root = os.path.dirname(os.path.abspath(given.rstrip("/\\") or given))
    return Path(os.path.relpath(os.path.abspath(path), root)).as_posix()


def _describe(source: Source) -> str:
    message_index, entry_index = source.recorded_indexes
    if message_index is not None:
        return f"{source.path} (message {message_index})"
    return source.path + (f" (entry {entry_index})" if entry_index is not None else "")


def _output(
    name: str, result: Written, by_article: dict[int, Entry], selection: dict[str, Any] | None
) -> Output:
    digest, size = sha256_output(result.dest)
    return Output(
        name,
        result.exporter,
        size,
        digest,
        tuple(manifest.article_id(by_article[id(a)]) for a in result.articles),
        tuple(
            (manifest.article_id(by_article[id(result.articles[a.index])]), a.note)
            for a in result.report.abridged
        ),
        result.warnings,
        selection,
    )
