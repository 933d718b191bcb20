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
