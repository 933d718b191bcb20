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

from ..atomic import write_atomic
from ..book.collection import collection_title, order_articles
from ..book.selection import Selection
from ..capture.store import CaptureStore
from ..errors import ArchiverError
from ..exporters import BY_NAME, EXPORTERS, ExportOptions
from ..exporters.base import Report, Written
from ..exporters.outputs import export_all, write_one
from ..hashing import sha256_file, sha256_listing, sha256_output
from ..model import Article, Failure, Source
from ..runtime.interrupts import raise_if_pressed
from ..search import store as search_index
from . import STATE_FOLDER, grow, manifest
from . import state as state_file
from .bag import bag_tags
from .commit import commit, finish
from .index import NAME as INDEX
from .index import Added, Index, Stored, connect
from .manifest import Output
from .originals import Originals
from .series import PIECES, SERIES_PIECES, pack_series, piece_of, series_pieces, write_series_warc
from .site import files_in, grow_site, site_after
from .store import ObjectStore


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
        chosen = json.dumps((selection or Selection()).record(), sort_keys=True)
        if self.index.changed or self.index.recipe(chosen) != recipe:
            return False
        if not search_index.status(self.index.db).current:
            return False
        self._adopt_listed_outputs()
        present = {
            o.format
            for o in self.index.stored_outputs()
            if o.selection == chosen and (self.payload / o.name).exists()
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
        basis: str = "",
    ) -> Iterator[Written]:
        """Each output as it is written; the package changes, in one commit, only once the last
        one is: a caller that stops iterating early leaves the package as it was.

        The whole package, one output per format, grows (grow.py): an output whose articles and
        settings (`basis`) did not change is not written again. With a selection, or one output
        per article, the outputs hold the articles picked, written whole, and the outputs of
        other selections stay. `recipe` (recipe()) is kept, when every output was written, so
        that the same export again finds nothing to do."""
        selection = selection or Selection()
        chosen = json.dumps(selection.record(), sort_keys=True)
        self._adopt_listed_outputs()
        staging = self.state / "staging"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        options = replace(
            options,
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
        rows = self.index.rows()
        if not rows:
            raise ArchiverError("no articles could be read; nothing written")
        search_index.sync(self.index.db)
        moves: list[tuple[Path, Path]] = []
        removals: list[Path] = []
        kept: set[str] = set()  # the outputs of this selection the package holds after this export
        failed: set[str] = set()
        if selection.everything and not per_article and not options.max_size:
            stored = {o.name: o for o in self.index.stored_outputs()}
            series = sorted(
                n for n, o in stored.items() if o.format == "warc" and n.startswith(f"{grow.SERIES}/")
            )
            tasks = grow.plan(formats, rows, options, basis, self.index.not_held(series), series)
            series += [t.name for t in tasks if t.exporter.name == "warc"]
            kept |= {task.name for task in tasks} | set(series)
            for task in tasks:
                earlier = stored.get(task.name)
                if task.recipe is not None and earlier is not None and earlier.recipe == task.recipe:
                    if (self.payload / task.name).exists():
                        continue
                result, positions, files = self._write_task(task, earlier, staging, order, series, len(rows))
                yield result
                self._settle(
                    result, task.name, positions, task.recipe, chosen, moves, removals, failed, files
                )
        else:
            book = _Book.chosen(self.index, rows, selection, order, options.title)
            view = replace(options, title=book.title)
            for result in export_all(book.articles, staging, formats, view, per_article):
                yield result
                positions = [book.position_of[id(article)] for article in result.articles]
                self._settle(result, result.dest.name, positions, None, chosen, moves, removals, failed, None)
                kept.add(result.dest.name)
        title = options.title or self.index.title()
        for output in self.index.stored_outputs():
            if output.selection == chosen and output.name not in kept and output.format not in failed:
                removals.append(self.payload / output.name)
                self.index.drop_output(output.name)
        if recipe is not None and not failed:
            self.index.wrote(chosen, recipe)
        standards = {exporter.name: exporter.conforms_to(options) for exporter in EXPORTERS}
        index = self.index
        manifest.write(  # the whole package, whichever articles this export's outputs hold
            staging / manifest.NAME,
            title,
            index.nodes(order),
            self._listed_outputs(),
            index.failures,
            index.duplicates + index.merged,
            standards,
        )
        moves.append((staging / manifest.NAME, self.payload / manifest.NAME))
        removals.append(self.state / state_file.NAME)  # read into the index, if the package had one
        if self.bag:
            payload = self._payload_after(moves, removals)
            tags = bag_tags(payload, title, len(rows), options.author)
            for name, data in tags.items():
                write_atomic(staging / name, data)
                moves.append((staging / name, self.out / name))
        self.payload.mkdir(parents=True, exist_ok=True)
        raise_if_pressed()  # a Ctrl-C that something swallowed still stops short of the commit point
        commit(self.index.db, self.out, moves, removals)
        shutil.rmtree(staging, ignore_errors=True)

    def _write_task(
        self,
        task: grow.Task,
        earlier: Stored | None,
        staging: Path,
        order: str,
        series: Sequence[str],
        count: int,
    ) -> tuple[Written, list[int], dict[str, Path] | None]:
        """One output of the growing package (`earlier`: the one of the same name the package
        holds), written into staging; with the positions of the articles it holds, in its order,
        and for the site, its files once in place."""
        dest = staging / task.name
        dest.parent.mkdir(parents=True, exist_ok=True)
        name = task.exporter.name
        if name == "wacz":
            where = series_pieces(series, staging, self.payload, self.state / SERIES_PIECES)
            error = pack_series(where, dest, task.options.title or "Saved articles", count)
            return Written(task.exporter, dest, (), Report(), error), list(task.positions), None
        if name == "html":
            present = self.payload / task.name
            written, pages = grow_site(self.index, task, earlier, dest, present, order)
            return written, list(task.positions), site_after(present, dest, pages)
        entries = self.index.load(task.positions)
        position_of = {id(e.article): p for e, p in zip(entries, task.positions, strict=True)}
        articles = (
            order_articles([e.article for e in entries], order)
            if name != "warc"
            else [e.article for e in entries]
        )
        del entries
        if name == "warc":
            report, error = Report(), write_series_warc(articles, dest, staging / PIECES, task.options)
        else:
            report, error = write_one((name, articles, dest, task.options))
        written = Written(task.exporter, dest, tuple(articles), report, error)
        return written, [position_of[id(a)] for a in articles], None

    def _settle(
        self,
        result: Written,
        name: str,
        positions: Sequence[int],
        recipe: str | None,
        selection: str,
        moves: list[tuple[Path, Path]],
        removals: list[Path],
        failed: set[str],
        files: dict[str, Path] | None,
    ) -> None:
        """An output written (or not): kept in the index, with the moves that put it in place.
        `files`: a folder that grows in place (the package's site), as it will be."""
        if result.error is not None:
            failed.add(result.exporter.name)
            return
        if files is not None:  # put in place file by file, beside what stays
            site = self.payload / name
            moves += [
                (staged, site / path) for path, staged in files.items() if staged.is_relative_to(result.dest)
            ]
            removals += [site / path for path in files_in(site) if path not in files]
            digest, size = sha256_listing(files)
        else:
            digest, size = sha256_output(result.dest)
            moves.append((result.dest, self.payload / name))
        abridged = tuple((positions[a.index], a.note) for a in result.report.abridged)
        own = Stored(name, result.exporter.name, selection, size, digest, result.warnings, abridged, recipe)
        self.index.record_output(own, positions)
        if result.exporter.name == "warc":  # of the series: its piece, staged beside it (series.py)
            piece = piece_of(result.dest, result.dest.parent.parent / PIECES)
            if piece.is_file():
                moves.append((piece, self.state / SERIES_PIECES / piece.name))

    def _listed_outputs(self) -> Iterator[Output]:
        """The outputs as the manifest lists them, in the registry's order of formats, each made
        when the manifest takes it (a large package's outputs list hundreds of thousands of ids)."""
        formats = [e.name for e in EXPORTERS]  # the WARCs come before the WACZ
        stored = sorted(self.index.stored_outputs(), key=lambda o: (formats.index(o.format), o.name))
        series_earlier: dict[str, None] = {}
        for output in stored:
            current, earlier = self.index.held_by(output.name)
            if output.format == "warc":
                series_earlier.update(dict.fromkeys(earlier))
            elif output.format == "wacz" and output.selection == "null":  # it holds the series' WARCs
                earlier = list(series_earlier)
            yield Output(
                output.name,
                BY_NAME[output.format],
                output.size,
                output.sha256,
                tuple(current),
                tuple((self.index.id_at(p), note) for p, note in output.abridged),
                output.warnings,
                json.loads(output.selection),
                tuple(earlier),
            )

    def _adopt_listed_outputs(self) -> None:
        """A package an earlier archiver wrote lists its outputs only in its manifest: they
        become the index's, so that this export replaces or keeps them as its own."""
        if self.index.stored_outputs():
            return
        for name, output in manifest.previous_outputs(self.payload).items():
            positions = self.index.positions_of([i.removeprefix("urn:sha256:") for i in output.articles])
            stored = Stored(
                name,
                output.exporter.name,
                json.dumps(output.selection, sort_keys=True),
                output.size,
                output.sha256,
                output.warnings,
                (),
                None,
            )
            self.index.record_output(stored, positions)

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
    """The articles a selection (or one output per article) picks, in their order, loaded."""

    articles: list[Article]
    position_of: dict[int, int]  # id(article) -> its position in the package
    title: str | None  # the outputs' own: a selection's, or the user's

    @classmethod
    def chosen(
        cls, index: Index, rows: Sequence[grow.Row], selection: Selection, order: str, title: str | None
    ) -> _Book:
        entries = index.load([row.position for row in rows])
        position_of = {id(e.article): row.position for e, row in zip(entries, rows, strict=True)}
        picked = selection.pick([e.article for e in entries])
        if not picked:
            raise ArchiverError(f"no article in the package is {selection.describe()}; nothing written")
        if not selection.everything and title is None:
            titled = collection_title(picked)
            if len(picked) != 1:
                titled = titled.replace("Saved articles", f"Saved articles {selection.describe()}", 1)
            title = titled
        return cls(order_articles(picked, order), position_of, title)


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
