"""Small helpers the tests share."""

from __future__ import annotations

import importlib.util
import warnings
from pathlib import Path
from types import ModuleType

from warcio.archiveiterator import ArchiveIterator

from archiver.model import Article, Failure
from archiver.readers import read_inputs

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seed" / "gmail-reader-view-article.html"


def shared_scorer(shared: Path) -> ModuleType:
    """shared/tools/score.py as a module. Its docstring holds a "\\w" that Python warns of when it
    compiles the file (a DeprecationWarning on 3.11, a SyntaxWarning from 3.12; an error under this
    suite's settings): the tool is not ours to change, and shared/ is read-only in CI, so no
    cached compile saves it."""
    spec = importlib.util.spec_from_file_location("shared_score", shared / "tools" / "score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", SyntaxWarning)
        spec.loader.exec_module(module)
    return module


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


def export(*args: str) -> str:
    """What `archiver export ARGS` prints, run in this process; the test fails unless it exits 0."""
    from typer.testing import CliRunner

    from archiver.cli.app import app

    result = CliRunner().invoke(app, ["export", *args])
    assert result.exit_code == 0, result.output
    return result.output


def warc_records(out: Path) -> list[tuple[str, str, dict[str, str], bytes, object]]:
    [warc] = out.glob("warc/*.warc.gz")
    found = []
    with warc.open("rb") as handle:
        for record in ArchiveIterator(handle):
            headers = dict(record.rec_headers.headers)
            found.append(
                (
                    record.rec_type,
                    headers.get("WARC-Target-URI", ""),
                    headers,
                    record.content_stream().read(),
                    record.http_headers,
                )
            )
    return found
