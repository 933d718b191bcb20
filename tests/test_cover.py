"""The EPUB's cover: a raster image (Kindle and Kobo libraries do not show an SVG one), drawn
from the collection or the user's own (--cover), declared as the cover image both ways."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image
from typer.testing import CliRunner

from archiver.cli.app import app
from tests.validators import epubcheck_problems

runner = CliRunner()
OPF = "{http://www.idpf.org/2007/opf}"


def _page(folder: Path) -> Path:
    folder.mkdir(parents=True)
    page = folder / "story.html"
    page.write_text(
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Harbour</title>"
        '<meta property="og:site_name" content="Harbour News">'
        '<meta property="article:published_time" content="2024-03-21"></head><body><article>'
        "<h1>Harbour</h1>"
        + "<p>The harbour at dawn, as the ledger tells it.</p>" * 20
        + "</article></body></html>",
        encoding="utf-8",
    )
    return page


def _export(page: Path, out: Path, *more: str) -> Path:
    result = runner.invoke(app, ["export", str(page), "--out", str(out), "--format", "epub", "-q", *more])
    assert result.exit_code == 0, result.output
    return out / "saved-articles.epub"


def _cover(book: Path) -> tuple[etree._Element, bytes, etree._Element]:
    with zipfile.ZipFile(book) as epub:
        package = etree.fromstring(epub.read("EPUB/content.opf"))
        [item] = [i for i in package.iter(f"{OPF}item") if i.get("properties") == "cover-image"]
        return item, epub.read(f"EPUB/{item.get('href')}"), package


@pytest.mark.export
def test_the_drawn_cover_is_a_declared_raster_image_the_same_each_time(tmp_path: Path) -> None:
    page = _page(tmp_path / "in")
    book = _export(page, tmp_path / "one")
    item, data, package = _cover(book)
    assert item.get("media-type") == "image/png"
    with Image.open(io.BytesIO(data)) as image:
        assert (image.format, image.size) == ("PNG", (1600, 2560))
        assert len(image.convert("L").getcolors(256) or []) > 2  # text drawn on it, not a blank page
    legacy = [m for m in package.iter(f"{OPF}meta") if m.get("name") == "cover"]
    assert [m.get("content") for m in legacy] == [item.get("id")]
    assert epubcheck_problems(book) == {str(book): []}
    assert _cover(_export(page, tmp_path / "two"))[1] == data


@pytest.mark.export
def test_the_users_own_cover_is_taken_as_given(tmp_path: Path) -> None:
    page = _page(tmp_path / "in")
    own = tmp_path / "mine.jpg"
    picture = io.BytesIO()
    Image.new("RGB", (800, 1280), (20, 60, 120)).save(picture, format="JPEG")
    own.write_bytes(picture.getvalue())
    item, data, _ = _cover(_export(page, tmp_path / "out", "--cover", str(own)))
    assert (item.get("media-type"), data) == ("image/jpeg", own.read_bytes())

    text = tmp_path / "notes.txt"
    text.write_text("not a picture")
    result = runner.invoke(app, ["export", str(page), "--out", str(tmp_path / "x"), "--cover", str(text)])
    assert result.exit_code == 2 and "a PNG or JPEG image is needed" in result.output
    assert not (tmp_path / "x").exists() or not any((tmp_path / "x").glob("*.epub"))
