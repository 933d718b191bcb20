"""--max-size: a collection larger than the bound is shared out into EPUB volumes, each under the
bound, each valid by EPUBCheck, titled "volume n of m" and declared as one series, together
holding every article once. The pages and their photos (noise, which no compression shrinks)
are made here."""

from __future__ import annotations

import json
import random
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image
from typer.testing import CliRunner

from archiver.cli.app import _bytes_in, app
from tests.validators import epubcheck_problems

runner = CliRunner()
OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"
PAGES = 7


def _pages(folder: Path) -> Path:
    folder.mkdir(parents=True)
    noise = random.Random(7)
    for n in range(PAGES):
        pixels = bytes(noise.getrandbits(8) for _ in range(360 * 360 * 3))
        Image.frombytes("RGB", (360, 360), pixels).save(folder / f"photo-{n}.png")  # about 390 kB
        (folder / f"page-{n}.html").write_text(
            f"<html lang='en'><head><title>Harbour report {n}</title></head><body><article>"
            f"<h1>Harbour report {n}</h1><p>{'The tide came in at dawn, as the ledger says. ' * 40}</p>"
            f"<figure><img src='photo-{n}.png' alt='Photo {n}'></figure></article></body></html>",
            encoding="utf-8",
        )
    return folder


def test_sizes_are_read_as_people_write_them() -> None:
    assert _bytes_in("50MB") == 50_000_000
    assert _bytes_in("30MiB") == 30 * 2**20
    assert _bytes_in("1.5 GB") == 1_500_000_000
    assert _bytes_in("800k") == 800_000
    assert _bytes_in("1000") == 1000


@pytest.mark.export
def test_a_large_collection_becomes_valid_volumes_holding_each_article_once(tmp_path: Path) -> None:
    folder = _pages(tmp_path / "in")
    out = tmp_path / "out"
    bound = 1_500_000
    result = runner.invoke(
        app, ["export", str(folder), "--out", str(out), "--format", "epub", "--max-size", "1.5MB", "-q"]
    )
    assert result.exit_code == 0, result.output
    books = sorted(out.glob("*.epub"))
    # 7 photos of 390 kB: three to a volume of 1.5 MB at most, so 3 volumes; a fourth would waste room
    assert len(books) == 3, [(b.name, b.stat().st_size) for b in books]
    held: list[str] = []
    for number, book in enumerate(books, 1):
        assert book.stat().st_size <= bound, f"{book.name}: {book.stat().st_size} bytes"
        with zipfile.ZipFile(book) as epub:
            opf = etree.fromstring(epub.read("EPUB/content.opf"))
        [title] = [t.text for t in opf.iter(f"{DC}title")]
        assert title is not None and title.endswith(f", volume {number} of {len(books)}")
        metas = {m.get("property"): m.text for m in opf.iter(f"{OPF}meta") if m.get("property")}
        assert metas["belongs-to-collection"] == title.rsplit(", volume", 1)[0]
        assert metas["group-position"] == str(number)
        held += [m.text for m in opf.iter(f"{OPF}meta") if m.get("property") == "dcterms:title"]
    assert sorted(held) == sorted(f"Harbour report {n}" for n in range(PAGES))  # each once, none lost
    assert epubcheck_problems(*books) == {str(book): [] for book in books}

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    epubs = [o for o in manifest["associatedMedia"] if o["contentUrl"].endswith(".epub")]
    assert sorted(o["contentUrl"] for o in epubs) == [b.name for b in books]
    assert sum(len(o["prov:wasDerivedFrom"]) for o in epubs) == PAGES


def test_an_unreadable_size_is_a_usage_error(tmp_path: Path) -> None:
    folder = _pages(tmp_path / "in")
    result = runner.invoke(app, ["export", str(folder), "--out", str(tmp_path / "out"), "--max-size", "big"])
    assert result.exit_code == 2
    assert "not a size such as 50MB" in result.output
