"""A package folder: the outputs, manifest.json, and in `.archiver/` what the next export into
the same folder needs (the articles already in it, their inputs' bytes, rendered PDF parts).

An export adds articles to what the folder holds, skips duplicates, writes every new file
(outputs, manifest, state, bag tags) into a staging folder, and only then replaces the package's
files in one commit (commit.py): a run that fails, is killed or fills the disk midway leaves the
previous package whole and its manifest true. What the package holds is its Index (index.py),
kept between runs in its state file (state.py).
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
from ..exporters import EXPORTERS, ExportOptions
from ..exporters.base import Written
from ..exporters.outputs import export_all
from ..hashing import sha256_file, sha256_output
from ..model import Article, Failure, Source
from ..runtime.interrupts import raise_if_pressed
from . import manifest
from . import state as state_file
from .bag import bag_tags
from .commit import commit, finish
from .index import NAME as INDEX
from .index import Added, Index, connect
from .manifest import Entry, Output
from .originals import Originals
from .store import ObjectStore

STATE_FOLDER = ".archiver"


class Package:
    """A package folder: its index (what it holds), the stores under STATE_FOLDER, and the writing
    of its outputs, staged and then committed. Opened with Package.open."""

    def __init__(self, out: Path, bag: bool) -> None:
        self.out = out
        self.bag = bag
        self.payload = out / "data" if bag else out
        self.state = out / STATE_FOLDER
        self.store = ObjectStore(self.state / "objects")
        self.captures = CaptureStore(self.state / "captures", self.store)  # kept as they complete
        self.index = Index(connect(self.state / INDEX), self.store)
        self._originals = Originals()

    @classmethod
    def open(cls, out: Path, bag: bool = False) -> Package:
        """The package in `out` (a new one if there is none), once it is known to be writable and
        an earlier export that stopped after its commit point is completed. Until close(), no
        other export can write it."""
        _check_writable(out)
        finish(out, out / STATE_FOLDER)
        package = cls(out, bag)
        try:
            package._upgrade()
        except BaseException:
            package.close()
            raise
        return package

    def close(self) -> None:
        """Let go of the index; what was not committed is as if it never happened."""
        self.index.db.close()

    def _upgrade(self) -> None:
        """A package written before the index was on disk: its state file, read into the index
        (and removed at the commit)."""
        path = self.state / state_file.NAME
        if not path.is_file() or len(self.index):
            return
        try:
            kept, failures = state_file.loads(path.read_bytes(), self.store)
        except (OSError, ValueError, KeyError, TypeError, ArchiverError) as exc:
            raise ArchiverError(
                f"{self.out} holds a package archiver cannot continue ({exc}); export into a new folder"
            ) from exc
        for entry, location, keys in kept:
            self.index.restore(entry, location, keys)
        for failure in failures:
            self.index.fail(failure)

    def add(self, article: Article, given: str) -> Added:
        """Keep an article read from the input argument `given`, its input's bytes stored, unless
        the package already has it (Index.add)."""
        original = self.store.put(self._originals.read(article.source))
        location = os.path.abspath(article.source.path)
        source = replace(article.source, path=relative_input_path(article.source.path, given))
        return self.index.add(replace(article, source=source), original, location)

    def already_read(self, path: Path, shown: str, given: str) -> str | None:
        """Where the package has this input's articles from, when it read the same bytes before:
        then reading it again is skipped, which is most of what a rebuild would cost."""
        if not path.is_file():  # a named pipe would block; reading it reports what it is
            return None
        kept = self.index.input_read(sha256_file(path)[0])
        if kept is not None:
            self.index.duplicates.append(
                f"{relative_input_path(shown, given)} is a duplicate of {kept} "
                "(the same input, already read), skipped"
            )
        return kept

    def fail(self, failure: Failure, given: str) -> None:
        self.index.fail(replace(failure, path=relative_input_path(failure.path, given)))

    def recipe(self, basis: str, selection: Selection | None = None) -> str:
        """What this export's outputs would be written from: `basis` (the settings that shape
        them, hashed by the caller) and the package's articles as they are now."""
        chosen = json.dumps((selection or Selection()).record(), sort_keys=True)
        return hashlib.sha256(f"{basis}|{chosen}|{self.index.digest()}".encode()).hexdigest()

    def up_to_date(self, recipe: str, formats: Sequence[str], selection: Selection | None = None) -> bool:
        """Whether the package already holds these outputs, written from the same recipe, and
        nothing was added to it since: then an export has nothing to do."""
        chosen = (selection or Selection()).record()
        if self.index.changed or self.index.recipe(json.dumps(chosen, sort_keys=True)) != recipe:
            return False
        present = {
            o.exporter.name for o in manifest.previous_outputs(self.payload).values() if o.selection == chosen
        }
        return present >= set(formats)

    def write(
        self,
        formats: Sequence[str],
        options: ExportOptions,
        per_article: bool = False,
        order: str = "input",
        cache: bool = True,
        selection: Selection | None = None,
        recipe: str | None = None,
    ) -> Iterator[Written]:
        """Each output as it is written; the package changes, in one commit, only once the last
        one is: a caller that stops iterating early leaves the package as it was. With a
        selection, the outputs hold the package's articles it picks, and the outputs of other
        selections stay. `recipe` (recipe()) is kept, when every output was written, so that
        the same export again finds nothing to do."""
        selection = selection or Selection()
        book = _Book.chosen(list(self.index.entries()), selection, order, options.title)
        staging = self.state / "staging"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        options = replace(
            options,
            title=book.title,
            original=self._original,
            # Without the cache, parts still go in the package when a cluster's workers render
            # them there (a temporary folder here is out of their reach); staging goes at the
            # commit. Through a store (--store), they come back here, into a temporary folder.
            render_cache=self.state / "cache"
            if cache
            else staging / "parts"
            if options.runner.cluster is not None and options.runner.store is None
            else None,
            captures=self.captures,
        )
        written = []
        for result in export_all([e.article for e in book.ordered], staging, formats, options, per_article):
            written.append(result)
            yield result
        outputs, moves, removals = self._outputs_after(written, book, selection)
        if recipe is not None and all(result.error is None for result in written):
            self.index.wrote(json.dumps(selection.record(), sort_keys=True), recipe)
        standards = {exporter.name: exporter.conforms_to(options) for exporter in EXPORTERS}
        index = self.index
        document = manifest.build(  # the whole package, whichever articles this export's outputs hold
            book.package_title, book.held, outputs, index.failures, index.duplicates + index.merged, standards
        )
        write_atomic(staging / manifest.NAME, manifest.dumps(document))
        moves.append((staging / manifest.NAME, self.payload / manifest.NAME))
        removals.append(self.state / state_file.NAME)  # read into the index, if the package had one
        if self.bag:
            payload = self._payload_after(moves, removals)
            tags = bag_tags(payload, book.package_title, len(book.held), options.author)
            for name, data in tags.items():
                write_atomic(staging / name, data)
                moves.append((staging / name, self.out / name))
        self.payload.mkdir(parents=True, exist_ok=True)
        raise_if_pressed()  # a Ctrl-C that something swallowed still stops short of the commit point
        commit(self.index.db, self.out, moves, removals)
        shutil.rmtree(staging, ignore_errors=True)

    def _outputs_after(
        self, written: list[Written], book: _Book, selection: Selection
    ) -> tuple[list[Output], list[tuple[Path, Path]], list[Path]]:
        """The outputs the manifest lists after this export, the staged files that replace the
        package's, and the package's files that go: an earlier output that this export did not
        rewrite (another selection's, or one whose format failed now) stays, with its entry."""
        previous = manifest.previous_outputs(self.payload)
        failed_formats = {r.exporter.name for r in written if r.error is not None}
        outputs, moves = [], []
        for result in written:
            if result.error is None:
                outputs.append(_output(result.dest.name, result, book.by_article, selection.record()))
                moves.append((result.dest, self.payload / result.dest.name))
        for name, earlier in previous.items():
            other_book = earlier.selection != selection.record()
            if (other_book or earlier.exporter.name in failed_formats) and name not in {
                o.path for o in outputs
            }:
                outputs.append(earlier)  # not rewritten: the earlier file is untouched and its entry true
        removals = [self.payload / name for name in set(previous) - {o.path for o in outputs}]
        return outputs, moves, removals

    def _original(self, source: Source) -> bytes:
        found = self.index.original(source)
        if found is None:
            raise ArchiverError(f"no stored copy of {source.path}")
        return self.store.get(found)

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


@dataclass(frozen=True)
class _Book:
    """Which of the package's entries one export's outputs hold, in their order, and its title."""

    ordered: list[Entry]  # the selection's, in the outputs' order
    held: list[Entry]  # the whole package's, in that order: the manifest lists them all
    by_article: dict[int, Entry]
    package_title: str
    title: str | None  # the outputs' own: a selection's, or the user's

    @classmethod
    def chosen(cls, entries: list[Entry], selection: Selection, order: str, title: str | None) -> _Book:
        if not entries:
            raise ArchiverError("no articles could be read; nothing written")
        picked = selection.pick([e.article for e in entries])
        if not picked:
            raise ArchiverError(f"no article in the package is {selection.describe()}; nothing written")
        by_article = {id(e.article): e for e in entries}
        ordered = [by_article[id(a)] for a in order_articles(picked, order)]
        held = [by_article[id(a)] for a in order_articles([e.article for e in entries], order)]
        package_title = title or collection_title([e.article for e in held])
        if not selection.everything and title is None:
            titled = collection_title(picked)
            if len(picked) != 1:
                titled = titled.replace("Saved articles", f"Saved articles {selection.describe()}", 1)
            title = titled
        return cls(ordered, held, by_article, package_title, title)


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
