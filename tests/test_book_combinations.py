"""Every way of making a book, on real inputs: the shared corpus and the shared read-it-later
exports in one package, then books made from it alone with sections, volumes, a selection and
highlights together, each valid by EPUBCheck, the volumes holding every article once."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from archiver.cli import app
from tests.conftest import ROOT
from tests.validators import epubcheck_problems

EXPORTS = ROOT.parent / "shared" / "exports"
OPF = "{http://www.idpf.org/2007/opf}"
runner = CliRunner()


def _export(*args: str) -> None:
    result = runner.invoke(app, ["export", *args, "--format", "epub", "-q"])
    assert result.exit_code in (0, 1), result.output  # 1: the corpus's broken inputs, reported


def _sources(book: Path) -> list[str]:
    with zipfile.ZipFile(book) as epub:
        opf = etree.fromstring(epub.read("EPUB/content.opf"))
    return [e.get("id", "") for e in opf.iter("{http://purl.org/dc/elements/1.1/}source")]


def test_sections_volumes_selections_and_highlights_together_are_valid(corpus: Path, tmp_path: Path) -> None:
    if not (EXPORTS / "expected.jsonl").is_file():
        pytest.skip("../shared/exports is not here (it exists in CI, not in a fresh clone)")
    out = tmp_path / "package"
    _export(str(corpus), *map(str, sorted((EXPORTS / "wallabag").iterdir())), "--out", str(out))
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    held = len(manifest["hasPart"])
    [whole] = out.glob("*.epub")
    size = whole.stat().st_size

    _export("--out", str(out), "--group-by", "tag", "--max-size", str(size // 3), "--title", "Volumes")
    volumes = sorted(out.glob("volumes-volume-*.epub"))
    assert len(volumes) >= 3, [(v.name, v.stat().st_size) for v in volumes]
    assert all(v.stat().st_size <= size // 3 for v in volumes)
    assert sum(len(_sources(v)) for v in volumes) == held  # every article, once

    _export("--out", str(out), "--group-by", "month", "--date-of", "saved", "--title", "By month")
    _export("--out", str(out), "--status", "unread", "--group-by", "outlet", "--title", "Unread")
    books = [*volumes, out / "by-month.epub", out / "unread.epub"]
    with zipfile.ZipFile(out / "by-month.epub") as epub:
        assert any(name.startswith("EPUB/section-") for name in epub.namelist())
    highlighted = [
        book for book in [whole, *books] if "EPUB/highlights.xhtml" in zipfile.ZipFile(book).namelist()
    ]
    assert highlighted, "the exports' highlights make a Highlights chapter"
    assert epubcheck_problems(whole, *books) == {str(book): [] for book in [whole, *books]}
