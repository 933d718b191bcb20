"""Highlights: found in the article's text whatever its whitespace and quote marks, marked there
(<mark> in the EPUB, a coloured background on the PDF page), listed with the user's notes after
the text, and a passage that is not in the text kept and listed with a warning, never lost. The
wallabag export is written here, with annotator.js annotations as wallabag 2.x writes them."""

from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path

import pytest
from PIL import Image

import archiver
from archiver import Article, ExportSettings
from archiver.html.highlights import place_highlights
from archiver.model import Highlight
from archiver.report import article_row

TEXT = (
    "<p>Every library that keeps newspapers on <em>paper</em> knows the problem: the paper turns brown.</p>"
    "<p>Web pages   decay “faster” and more quietly.</p>"
)


def test_a_quote_is_found_across_elements_spaces_and_quote_marks() -> None:
    body, placed = place_highlights(
        TEXT,
        [
            Highlight("keeps newspapers on paper knows", "so true"),
            Highlight('decay "faster" and'),
            Highlight("absent"),
        ],
    )
    assert [h.placed for h in placed] == [True, True, False]
    assert '<mark class="highlight" title="so true">keeps newspapers on </mark><em><mark' in body
    assert '<mark class="highlight">decay “faster” and</mark>' in body
    assert (
        body.replace('<mark class="highlight" title="so true">', "")
        .replace('<mark class="highlight">', "")
        .replace("</mark>", "")
        == TEXT
    )  # nothing else changed


@pytest.fixture()
def wallabag(tmp_path: Path) -> Path:
    path = tmp_path / "wallabag.json"
    annotation = {"ranges": [{"start": "/p[1]", "startOffset": 20, "end": "/p[1]", "endOffset": 45}]}
    path.write_text(
        json.dumps(
            [
                {
                    "url": "https://news.example.org/2024/keeping-pages",
                    "title": "Keeping pages",
                    "is_archived": 0,
                    "is_starred": 1,
                    "created_at": "2024-05-02T09:00:00+0200",
                    "content": TEXT,
                    "annotations": [
                        {**annotation, "quote": "keeps newspapers on paper", "text": "so true",
                         "created_at": "2024-05-03T10:00:00+0200"},
                        {**annotation, "quote": "a passage the page lost", "text": "", "created_at": None},
                    ],
                }
            ]
        )
    )  # fmt: skip
    return path


def test_read_places_what_it_can_and_warns_about_the_rest(wallabag: Path) -> None:
    [article] = [a for a in archiver.read([wallabag]) if isinstance(a, Article)]
    row = article_row(article, "wallabag.json", 0)
    assert row["highlights"] == [
        {"quote": "keeps newspapers on paper", "note": "so true", "placed": True},
        {"quote": "a passage the page lost", "note": None, "placed": False},
    ]
    assert any(
        "highlight not found in the text" in w and "a passage the page lost" in w for w in article.warnings
    )


def test_the_book_marks_them_and_the_pdf_draws_them(wallabag: Path, tmp_path: Path) -> None:
    from tests.validators import epubcheck_problems, require

    out = tmp_path / "out"
    list(archiver.export([wallabag], out, ExportSettings(formats=["epub", "pdf"])))
    [book] = out.glob("*.epub")
    assert epubcheck_problems(book) == {str(book): []}
    with zipfile.ZipFile(book) as epub:
        chapter = epub.read("EPUB/article-0001.xhtml").decode()
    assert '<mark class="highlight" title="so true">keeps newspapers on </mark><em><mark' in chapter
    assert "a passage the page lost" in chapter and "Not found in the text above." in chapter
    [pdf] = out.glob("*.pdf")
    subprocess.run([require("pdftoppm"), "-r", "50", "-png", str(pdf), str(tmp_path / "page")], check=True)
    highlighted = 0
    for page in sorted(tmp_path.glob("page-*.png")):
        image = Image.open(page).convert("RGB")
        pixels = (image.getpixel((x, y)) for x in range(image.width) for y in range(image.height))
        highlighted += sum(1 for r, g, b in pixels if r > 245 and 230 < g < 250 and 100 < b < 135)  # type: ignore[misc]
    assert highlighted > 50, "no highlight colour on any page"
