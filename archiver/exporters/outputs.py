"""Writing a collection in every chosen format: which files, with which articles, and what
happened to each. One output that fails is reported and the others are still written."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from ..collection import article_stem, collection_title, slugify, unique_stems
from ..errors import ArchiverError, unexpected
from ..model import Article
from ..parallel import run_all
from . import BY_NAME, EXPORTERS, ExportOptions
from .base import Exporter, Report, Written


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
    for exporter in chosen:

        def others(stem: str, exporter: Exporter = exporter) -> tuple[str, ...]:
            return tuple(f"{stem}{e.suffix}" for e in chosen if e is not exporter)

        in_workers = len(outputs) > 1 and exporter.in_workers
        # on workers, each output renders alone, and options' callables (WARC's) stay here
        plain = replace(options, jobs=1, original=None) if in_workers else options
        tasks = [
            (exporter.name, group, out / f"{stem}{exporter.suffix}", replace(plain, alongside=others(stem)))
            for stem, group in outputs
        ]
        outcomes: Iterable[tuple[Report, str | None]] = (
            run_all(_write_one, tasks, options.jobs, preload=exporter.preload)
            if in_workers
            else map(_write_one, tasks)
        )
        for (_, group, dest, _), (report, error) in zip(tasks, outcomes, strict=True):
            yield Written(exporter, dest, tuple(group), report, error)


def _write_one(task: tuple[str, list[Article], Path, ExportOptions]) -> tuple[Report, str | None]:
    """(its report, None) for an output written, (an empty report, why not) for one that was not."""
    name, group, dest, options = task
    try:
        return BY_NAME[name].write(group, dest, options), None
    except (ArchiverError, OSError) as exc:
        return Report(), str(exc)
    except Exception as exc:  # noqa: BLE001 - one failing output must not stop the others
        return Report(), unexpected(exc)
