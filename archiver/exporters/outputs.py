"""Writing a collection in every chosen format: which files, with which articles, and what
happened to each. One output that fails is reported and the others are still written."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from ..book.collection import article_stem, collection_title, slugify, unique_stems
from ..errors import ArchiverError, unexpected
from ..model import Article
from ..runtime.runner import Runner
from . import BY_NAME, EXPORTERS, ExportOptions
from .base import Exporter, Report, Volume, Written


def plan(
    articles: Sequence[Article], per_article: bool, title: str | None
) -> list[tuple[str, list[Article]]]:
    """(file name stem, articles) for each output of one format."""
    groups = [[a] for a in articles] if per_article else [list(articles)]
    stems = [article_stem(g[0]) if per_article else slugify(title or collection_title(g)) for g in groups]
    return list(zip(unique_stems(stems), groups, strict=True))


def export_all(
    articles: Sequence[Article],
    out: Path,
    formats: Sequence[str],
    options: ExportOptions,
    per_article: bool = False,
) -> Iterator[Written]:
    out.mkdir(parents=True, exist_ok=True)
    outputs = plan(articles, per_article, options.title)
    chosen = [e for e in EXPORTERS if e.name in formats]
    done: dict[str, list[str]] = {e.name: [] for e in chosen}  # the files written so far, by format
    for exporter in chosen:

        def others(stem: str, exporter: Exporter = exporter) -> tuple[str, ...]:
            """The files of the other formats holding the same articles: as written (an EPUB in
            volumes is several), or as they will be named."""
            if exporter.folder is not None:
                return tuple(name for e in chosen for name in done[e.name])
            return tuple(
                name
                for e in chosen
                if e is not exporter
                for name in [
                    n for n in done[e.name] if n.startswith((f"{stem}{e.suffix}", f"{stem}-volume-"))
                ]
                or [f"{stem}{e.suffix}"]
            )

        own = (
            [(exporter.folder, list(articles), options)]  # one for the collection, whatever per_article says
            if exporter.folder is not None
            else _in_volumes(outputs, exporter, options)
        )
        in_workers = len(own) > 1 and exporter.in_workers
        tasks = [
            (
                exporter.name,
                group,
                out / f"{stem}{exporter.suffix}",
                # on workers, each output renders alone, and options' callables (WARC's) stay here
                replace(
                    own_options,
                    alongside=others(stem),
                    runner=Runner(jobs=1) if in_workers else own_options.runner,
                    original=None if in_workers else own_options.original,
                ),
            )
            for stem, group, own_options in own
        ]
        outcomes: Iterable[tuple[Report, str | None]] = (
            options.runner.run_all(write_one, tasks, preload=exporter.preload)
            if in_workers
            else map(write_one, tasks)
        )
        for (_, group, dest, _), (report, error) in zip(tasks, outcomes, strict=True):
            if error is None:
                done[exporter.name].append(dest.name)
            yield Written(exporter, dest, tuple(group), report, error)


def _in_volumes(
    outputs: Sequence[tuple[str, list[Article]]], exporter: Exporter, options: ExportOptions
) -> list[tuple[str, list[Article], ExportOptions]]:
    """The outputs, each one that would be over options.max_size in this format as its volumes:
    "stem-volume-1", ..., titled "Title, volume 1 of 3"."""
    if not options.max_size or exporter.volumes is None:
        return [(stem, group, options) for stem, group in outputs]
    own: list[tuple[str, list[Article], ExportOptions]] = []
    for stem, group in outputs:
        volumes = exporter.volumes(group, options)
        if len(volumes) == 1:
            own.append((stem, group, options))
            continue
        title = options.title or collection_title(group)
        own += [
            (
                f"{stem}-volume-{n}",
                volume,
                replace(
                    options,
                    title=f"{title}, volume {n} of {len(volumes)}",
                    volume=Volume(n, len(volumes), title),
                ),
            )
            for n, volume in enumerate(volumes, 1)
        ]
    return own


def write_one(task: tuple[str, list[Article], Path, ExportOptions]) -> tuple[Report, str | None]:
    """(its report, None) for an output written, (an empty report, why not) for one that was not."""
    name, group, dest, options = task
    try:
        return BY_NAME[name].write(group, dest, options), None
    except (ArchiverError, OSError) as exc:
        return Report(), str(exc)
    except Exception as exc:  # noqa: BLE001 - one failing output must not stop the others
        return Report(), unexpected(exc)
