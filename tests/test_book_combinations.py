"""Every way of making a book, on real inputs: the shared corpus and the shared read-it-later
exports in one package, then books made from it alone with sections, volumes and a selection,
each valid by EPUBCheck, the volumes holding every article once. (The shared exports hold no
highlights; tests/test_highlights.py makes books with them.)"""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from archiver.cli.app import app
from tests.conftest import ROOT
from tests.validators import epubcheck_problems

pytestmark = [pytest.mark.export, pytest.mark.corpus]

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


def test_sections_volumes_and_selections_on_real_inputs_are_valid(corpus: Path, tmp_path: Path) -> None:
    if not (EXPORTS / "expected.jsonl").is_file():
        pytest.skip("../shared/exports is not here (it exists in CI, not in a fresh clone)")
    out, kept = tmp_path / "package", tmp_path / "books"
    kept.mkdir()

    def books(*args: str) -> list[Path]:
        """The EPUBs one export writes, kept aside: the next export of the same selection replaces them."""
        _export("--out", str(out), *args)
        made = sorted(out.glob("*.epub"))
        for book in made:
            shutil.copy(book, kept / book.name)
        return [kept / book.name for book in made]

    [whole] = books(str(corpus), *map(str, sorted((EXPORTS / "wallabag").iterdir())))
    held = len(json.loads((out / "manifest.json").read_text(encoding="utf-8"))["hasPart"])
    size = whole.stat().st_size

    volumes = books("--group-by", "tag", "--max-size", str(size // 3), "--title", "Volumes")
    assert [v.name for v in volumes] == [f"volumes-volume-{n}.epub" for n in range(1, len(volumes) + 1)]
    assert len(volumes) >= 3, [(v.name, v.stat().st_size) for v in volumes]
    assert all(v.stat().st_size <= size // 3 for v in volumes)
    assert sum(len(_sources(v)) for v in volumes) == held  # every article, once

    [by_month] = books("--group-by", "month", "--date-of", "saved", "--title", "By month")
    with zipfile.ZipFile(by_month) as epub:
        assert any(name.startswith("EPUB/section-") for name in epub.namelist())
    unread = [
        b
        for b in books("--status", "unread", "--group-by", "outlet", "--title", "Unread")
        if b.name == "unread.epub"
    ]
    every = [whole, *volumes, by_month, *unread]
    assert epubcheck_problems(*every) == {str(book): [] for book in every}
