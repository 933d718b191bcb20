"""E-reader-safe images: the EPUB's images are scaled down to --image-max pixels on their
longest side (1600 by default), in their own format; the PDF and the WARC keep them as saved."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from archiver.cli.app import app
from archiver.images.convert import within
from tests.validators import epubcheck_problems

runner = CliRunner()


def photo(width: int, height: int, kind: str = "JPEG") -> bytes:
    """A photograph-like image: a gradient, so that it compresses like one."""
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    out = io.BytesIO()
    image.save(out, format=kind)
    return out.getvalue()


def test_a_large_image_is_scaled_to_the_bound_in_its_own_format() -> None:
    for kind, media_type in (("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp")):
        scaled = within(photo(4000, 2500, kind), media_type, 1600)
        with Image.open(io.BytesIO(scaled)) as image:
            assert (image.format, image.size) == (kind, (1600, 1000))
    small = photo(800, 600)
    assert within(small, "image/jpeg", 1600) is small  # one that fits is not re-encoded
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="9000" height="9000"/>'
    assert within(svg, "image/svg+xml", 1600) is svg


def _page(folder: Path) -> Path:
    files = folder / "story_files"
    files.mkdir(parents=True)
    (files / "big.jpg").write_bytes(photo(3000, 2000))
    (files / "small.png").write_bytes(photo(400, 300, "PNG"))
    page = folder / "story.html"
    page.write_text(
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Harbour</title></head><body>"
        "<article><h1>Harbour</h1>" + "<p>The harbour at dawn, as the photographs show it.</p>" * 20
        + '<figure><img src="story_files/big.jpg" alt="Dawn"></figure>'
        '<figure><img src="story_files/small.png" alt="Map"></figure></article></body></html>',
        encoding="utf-8",
    )  # fmt: skip
    return page


def _epub_image_sizes(book: Path) -> list[tuple[int, int]]:
    with zipfile.ZipFile(book) as epub:
        names = [n for n in epub.namelist() if n.startswith("EPUB/images/")]
        sizes = []
        for name in sorted(names):
            with Image.open(io.BytesIO(epub.read(name))) as image:
                sizes.append(image.size)
    return sizes


@pytest.mark.export
def test_the_epub_images_are_within_the_bound_and_the_book_stays_valid(tmp_path: Path) -> None:
    page = _page(tmp_path / "in")
    out = tmp_path / "out"
    result = runner.invoke(app, ["export", str(page), "--out", str(out), "--format", "epub", "-q"])
    assert result.exit_code == 0, result.output
    book = out / "saved-articles.epub"
    assert sorted(_epub_image_sizes(book)) == [(400, 300), (1600, 1067)]
    assert epubcheck_problems(book) == {str(book): []}

    whole = tmp_path / "whole"
    result = runner.invoke(
        app, ["export", str(page), "--out", str(whole), "--format", "epub", "--image-max", "0", "-q"]
    )
    assert result.exit_code == 0, result.output
    assert sorted(_epub_image_sizes(whole / "saved-articles.epub")) == [(400, 300), (3000, 2000)]
