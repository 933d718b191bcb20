"""Small helpers the tests share."""

from __future__ import annotations

from pathlib import Path

from archiver.model import Article, Failure
from archiver.readers import read_inputs

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seed" / "gmail-reader-view-article.html"


def read_all(*paths: Path | str) -> list[Article | Failure]:
    return list(read_inputs([str(p) for p in paths]))


def read_one(path: Path | str) -> Article:
    items = read_all(path)
    assert len(items) == 1, items
    item = items[0]
    assert isinstance(item, Article), item
    return item


def kept_by_export(articles: list[Article], package: Path, given: Path) -> list[Article]:
    """The articles an export into `package` kept: all of them but those its manifest reports as
    duplicates of an article already in it."""
    import json

    from archiver.package.folder import relative_input_path

    manifest = json.loads((package / "manifest.json").read_text(encoding="utf-8"))
    skipped = {line.split(" is a duplicate of ")[0] for line in manifest["archiver:duplicates"]}
    return [a for a in articles if relative_input_path(a.source.path, str(given)) not in skipped]
