"""Writing a collection in every chosen format: which files, with which articles, and what
happened to each. One output that fails is reported and the others are still written."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from .collection import article_stem, collection_title, slugify, unique_stems
from .errors import ArchiverError, unexpected
from .exporters import EXPORTERS, ExportOptions
from .model import Article


@dataclass(frozen=True)
class Written:
    dest: Path
    articles: tuple[Article, ...]
    warnings: tuple[str, ...] = ()
    error: str | None = None  # why `dest` was not written


def plan(articles: Sequence[Article], per_article: bool, title: str | None) -> list[tuple[str, list[Article]]]:
    """(file name stem, articles) for each output of one format."""
    groups = [[a] for a in articles] if per_article else [list(articles)]
    stems = [article_stem(g[0]) if per_article else slugify(title or collection_title(g)) for g in groups]
    return list(zip(unique_stems(stems), groups, strict=True))


def export_all(articles: Sequence[Article], out: Path, formats: Sequence[str], options: ExportOptions,
               per_article: bool = False) -> Iterator[Written]:
    out.mkdir(parents=True, exist_ok=True)
    outputs = plan(articles, per_article, options.title)
    for exporter in (e for e in EXPORTERS if e.NAME in formats):
        for stem, group in outputs:
            dest = out / f"{stem}{exporter.SUFFIX}"
            try:
                warnings = exporter.write(group, dest, options)
            except (ArchiverError, OSError) as exc:
                yield Written(dest, tuple(group), error=str(exc))
            except Exception as exc:  # noqa: BLE001 - one failing output must not stop the others
                yield Written(dest, tuple(group), error=unexpected(exc))
            else:
                yield Written(dest, tuple(group), tuple(warnings))
