"""Highlights: found in the article's text whatever its whitespace and quote marks, marked there
(<mark> in the EPUB, a coloured background on the PDF page), listed with the user's notes after
the text, and a passage that is not in the text kept and listed with a warning, never lost. The
wallabag export is written here, with annotator.js annotations as wallabag 2.x writes them."""

from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path

import pypdf
import pytest
from lxml import etree
from PIL import Image

import archiver
from archiver import Article, ExportSettings
from archiver.cli.report import article_row
from archiver.html.highlights import place_highlights
from archiver.model import Highlight

XHTML = "{http://www.w3.org/1999/xhtml}"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
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
    first = '<mark class="highlight" data-highlight="1" title="so true">'
    assert f"{first}keeps newspapers on </mark><em>{first}paper</mark></em>{first} knows</mark>" in body
    assert '<mark class="highlight" data-highlight="2">decay “faster” and</mark>' in body
    assert (
        body.replace(first, "")
        .replace('<mark class="highlight" data-highlight="2">', "")
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


@pytest.mark.export
@pytest.mark.pdf
def test_the_book_marks_them_and_the_pdf_draws_them(wallabag: Path, tmp_path: Path) -> None:
    from tests.validators import epubcheck_problems, require

    out = tmp_path / "out"
    list(archiver.export([wallabag], out, ExportSettings(formats=["epub", "pdf"])))
    [book] = out.glob("*.epub")
    assert epubcheck_problems(book) == {str(book): []}
    with zipfile.ZipFile(book) as epub:
        chapter = epub.read("EPUB/article-0001.xhtml").decode()
    assert (
        '<mark class="highlight" title="so true" id="article-0001-hl-1">keeps newspapers on </mark><em><mark'
        in chapter
    )
    assert "a passage the page lost" in chapter and "Not found in the text above." in chapter
    [pdf] = out.glob("*.pdf")
    pages = [page.extract_text() for page in pypdf.PdfReader(pdf).pages]
    [marked] = [text for text in pages if "keeps newspapers on paper" in text and "brown" in text]
    assert "1. so true" in marked  # the note is a footnote on the highlight's page
    subprocess.run([require("pdftoppm"), "-r", "50", "-png", str(pdf), str(tmp_path / "page")], check=True)
    highlighted = 0
    for page in sorted(tmp_path.glob("page-*.png")):
        image = Image.open(page).convert("RGB")
        pixels = (image.getpixel((x, y)) for x in range(image.width) for y in range(image.height))
        highlighted += sum(1 for r, g, b in pixels if r > 245 and 230 < g < 250 and 100 < b < 135)  # type: ignore[misc]
    assert highlighted > 50, "no highlight colour on any page"


@pytest.mark.export
def test_notes_are_footnotes_and_a_closing_chapter_links_back_to_each_place(
    wallabag: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    list(archiver.export([wallabag], out, ExportSettings(formats=["epub", "pdf"])))
    [book] = out.glob("*.epub")
    with zipfile.ZipFile(book) as epub:
        chapter = etree.fromstring(epub.read("EPUB/article-0001.xhtml"))
        closing = etree.fromstring(epub.read("EPUB/highlights.xhtml"))
        nav = epub.read("EPUB/nav.xhtml").decode()
    [call] = chapter.iterfind(f".//{XHTML}a[@{EPUB_TYPE}='noteref']")
    [note] = chapter.iterfind(f".//{XHTML}aside[@{EPUB_TYPE}='footnote']")
    assert call.get("href") == f"#{note.get('id')}" and "so true" in "".join(note.itertext())
    assert (
        call.getprevious() is not None and call.getprevious().text == "paper"
    )  # after the passage's last word
    # The closing chapter: both highlights, in order; the placed one links to where it starts.
    quotes = ["".join(q.itertext()) for q in closing.iter(f"{XHTML}blockquote")]
    assert quotes == ["keeps newspapers on paper", "a passage the page lost"]
    [back] = [a for a in closing.iter(f"{XHTML}a") if a.text == "In the text"]
    document, target = back.get("href").split("#")
    assert document == "article-0001.xhtml"
    [mark] = chapter.iterfind(f".//{XHTML}mark[@id='{target}']")
    assert mark.text == "keeps newspapers on "
    assert "highlights.xhtml" in nav

    [pdf] = out.glob("*.pdf")
    reader = pypdf.PdfReader(pdf)
    [closing_page] = [
        n for n, page in enumerate(reader.pages) if "2 highlights in 1 article" in page.extract_text()
    ]
    [link] = [
        a.get_object()
        for a in reader.pages[closing_page].get("/Annots", [])
        if a.get_object()["/Dest"][1] == "/XYZ"
    ]
    marked_page = reader.get_page_number(link["/Dest"][0].get_object())
    assert "keeps newspapers on paper" in reader.pages[marked_page].extract_text()
    assert marked_page < closing_page
