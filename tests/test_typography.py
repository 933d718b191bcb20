"""The books' text face: Charis SIL (installed by scripts/install-system-deps.sh) sets the PDF's
text and is embedded in the EPUB, subset to the characters the book uses, declared in its
stylesheet with a fallback, and the book stays valid by EPUBCheck. Each article's language
reaches its markup, so that its hyphenation follows it."""

from __future__ import annotations

import io
import subprocess
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from archiver.cli.app import app
from archiver.exporters.epub.fonts import FOLDER
from tests.validators import epubcheck_problems, require

GERMAN = "Die Bibliothek bewahrt Zeitungen auf Papier auf; Webseiten verfallen schneller und leiser. " * 12


@pytest.mark.pdf
def test_the_text_face_is_printed_and_embedded(tmp_path: Path) -> None:
    assert (FOLDER / "CharisSIL-Regular.ttf").is_file(), "fonts-sil-charis: scripts/install-system-deps.sh"
    page = tmp_path / "in" / "papier.html"
    page.parent.mkdir()
    page.write_text(
        f"<html lang='de'><head><title>Papier</title></head><body><article><h1>Papier</h1><p>{GERMAN}</p>"
        "<p><em>Kursiv</em> und <strong>fett</strong>: Straße, Ärger, „Anführung“.</p>"
        "</article></body></html>",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["export", str(page), "--out", str(out), "--format", "epub", "--format", "pdf"]
    )
    assert result.exit_code == 0, result.output
    [book] = out.glob("*.epub")
    with zipfile.ZipFile(book) as epub:
        fonts = {n: len(epub.read(n)) for n in epub.namelist() if n.startswith("EPUB/fonts/")}
        opf = epub.read("EPUB/content.opf").decode()
        css = epub.read("EPUB/style/epub.css").decode()
        chapter = epub.read("EPUB/article-0001.xhtml").decode()
    assert sorted(fonts) == [
        f"EPUB/fonts/CharisSIL-{face}.ttf" for face in ("Bold", "BoldItalic", "Italic", "Regular")
    ]
    assert all(size < 80_000 for size in fonts.values()), fonts  # subset: the whole faces are 740-800 kB
    from fontTools.ttLib import TTFont

    with (
        zipfile.ZipFile(book) as epub,
        TTFont(io.BytesIO(epub.read("EPUB/fonts/CharisSIL-Regular.ttf"))) as font,
    ):
        with TTFont(FOLDER / "CharisSIL-Regular.ttf") as whole:  # not stamped with today: the same book twice
            assert font["head"].modified == whole["head"].modified
    assert opf.count('media-type="font/ttf"') == 4
    assert css.count("@font-face {") == 4 and 'font-family: "Charis SIL", "Charis", serif' in css
    assert 'xml:lang="de"' in chapter
    assert epubcheck_problems(book) == {str(book): []}

    [pdf] = out.glob("*.pdf")
    listed = subprocess.run(
        [require("pdffonts"), str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    assert "Charis-SIL " in listed and "Charis-SIL-Italic" in listed and "Charis-SIL-Bold" in listed
