"""Every article has a language for the book (dc:language, xml:lang, hyphenation; Send-to-Kindle
refuses a book without one): the one its input states, else one told from its text, recorded as
a guess. How often the guess is right is measured on the corpus's pages that state theirs."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from archiver.cli.app import app
from archiver.language import ORIGIN, detect_language, with_language
from archiver.model import Article, Failure, Source

GERMAN = (
    "Die Bibliothek bewahrt Zeitungen auf Papier auf, und jeder weiß, dass das Papier mit den Jahren "
    "braun und brüchig wird. Webseiten verfallen schneller und leiser, weil niemand sie sammelt, "
    "bevor ihre Adressen verschwinden und die Server abgeschaltet werden."
)
ENGLISH = (
    "Every library that keeps newspapers on paper knows the problem: the paper turns brown and "
    "brittle with the years. Web pages decay faster and more quietly, because nobody collects "
    "them before their addresses vanish and their servers are switched off."
)


def _article(body: str, language: str | None = None) -> Article:
    return Article(
        title="t", body=body, source=Source(path="x", kind="t", sha256="0" * 64, size=1), language=language
    )


def test_a_language_is_told_from_enough_text_and_never_over_a_stated_one() -> None:
    assert detect_language(GERMAN) == "de"
    assert detect_language(ENGLISH) == "en"
    assert detect_language("Danke schön") is None  # too little to tell
    told = with_language(_article(f"<p>{GERMAN}</p>"))
    assert told.language == "de" and told.source.origins["language"] == ORIGIN
    stated = _article(f"<p>{GERMAN}</p>", "en")
    assert with_language(stated) is stated


@pytest.mark.export
def test_a_page_without_a_language_makes_a_book_in_its_language(tmp_path: Path) -> None:
    pages = tmp_path / "in"
    pages.mkdir()
    (pages / "de.html").write_text(
        f"<html><head><title>Papier</title></head><body><article><h1>Papier</h1><p>{GERMAN}</p>"
        f"<p>{GERMAN}</p></article></body></html>",
        encoding="utf-8",
    )
    (pages / "en.html").write_text(
        f"<html lang='en'><head><title>Paper</title></head><body><article><h1>Paper</h1><p>{ENGLISH}</p>"
        "</article></body></html>",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["export", str(pages / "de.html"), str(pages / "en.html"), "--out", str(out), "--format", "epub"]
    )
    assert result.exit_code == 0, result.output
    [book] = out.glob("*.epub")
    with zipfile.ZipFile(book) as epub:
        opf = etree.fromstring(epub.read("EPUB/content.opf"))
        german = etree.fromstring(epub.read("EPUB/article-0001.xhtml"))
        english = etree.fromstring(epub.read("EPUB/article-0002.xhtml"))
    languages = [e.text for e in opf.iter("{http://purl.org/dc/elements/1.1/}language")]
    assert languages == ["de"]  # the book's: its articles' most common, here the first of a tie
    assert german.get("{http://www.w3.org/XML/1998/namespace}lang") == "de"
    assert english.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"  # each article its own


@pytest.mark.corpus
def test_guesses_agree_with_the_languages_corpus_pages_state(
    corpus_documents: dict[str, list[Article | Failure]],
) -> None:
    agree, guessed, stated = 0, 0, 0
    for items in corpus_documents.values():
        article = next((a for a in items if isinstance(a, Article)), None)
        if article is None or not article.language or article.source.origins.get("language") == ORIGIN:
            continue
        stated += 1
        guess = detect_language(" ".join(etree.fromstring(f"<div>{article.body}</div>").itertext()))
        if guess is not None:
            guessed += 1
            agree += guess == article.language.split("-")[0].lower()
    print(f"language guesses: {agree} of {guessed} agree with the page's own ({stated} pages state one)")
    # Measured 2026-11-27: 69 of 71 (the two others: a Lorem ipsum page guessed Latin, a forum page
    # whose text is user names and German place names); 2026-12-07, after the clean-body issue
    # changed which text is the article: 67 of 69, 73 pages stating one.
    assert stated >= 60 and guessed >= 0.9 * stated
    assert agree >= 0.95 * guessed
