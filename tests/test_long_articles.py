"""Very long articles (a book or a log saved as one page): the PDF prints a bounded number of
pages and says where the rest is, the EPUB splits the article into several content documents,
and a 40 MB page goes through every format in minutes."""

from __future__ import annotations

import json
import random
import time
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader

from archiver.exporters.epub.split import MAX_DOCUMENT_BYTES, link_across, split_body
from archiver.exporters.pdf.abridge import IMAGE_CHARS, cut
from archiver.exporters.xhtml import XHTML
from archiver.model import Article, Source
from tests.helpers import export
from tests.validators import epubcheck_problems, pdf_problems

WORDS = "the clerk writes down hour wind and sea ship harbour ledger lamp night morning tide rope".split()


def log_page(folder: Path, paragraphs: int, *, note_link: bool = False) -> Path:
    """A ship's log saved as one page: a heading every 50 entries, all inside one wrapper, and
    optionally a link from the first entry to a note at the very end."""
    pick = random.Random(7)
    entries = []
    for n in range(paragraphs):
        if n % 50 == 0:
            entries.append(f"<h2>Day {n // 50 + 1}</h2>")
        entries.append(f"<p>Entry {n}: {' '.join(pick.choice(WORDS) for _ in range(60))}.</p>")
    if note_link:
        entries[1] = entries[1].replace("</p>", ' See <a href="#last-note">the last note</a>.</p>')
        entries.append('<p id="last-note">The last note: the harbour closed for the winter.</p>')
    page = folder / "log.html"
    folder.mkdir(parents=True, exist_ok=True)
    page.write_text(
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>The Harbour Log</title>"
        "<meta name='author' content='Ada Clerk'></head><body><article><h1>The Harbour Log</h1>"
        f"<div class='log'>{''.join(entries)}</div></article></body></html>",
        encoding="utf-8",
    )
    return page


def test_a_cut_keeps_the_first_text_closes_every_element_and_counts_images() -> None:
    body = "<div><h2>One</h2><p>alpha beta gamma delta</p><img src='a.png' alt=''/><p>epsilon zeta</p></div>"
    source = Source(path="x.html", kind="html", sha256="0" * 64, size=1)
    whole = Article(title="t", body=body, source=source)
    kept = cut(whole, budget=len("Onealpha beta"), max_pages=3, elsewhere=["x.epub"])
    root = etree.fromstring(f"<div>{kept.article.body}</div>")
    assert [e.tag for e in root.iter()][:4] == ["div", "div", "h2", "p"]
    assert "".join(root[0].itertext()) == "Onealpha …"
    assert root.find("div/img") is None
    assert "x.epub" in "".join(root.find("aside").itertext())
    with_image = cut(whole, budget=len("Onealpha beta gamma delta") + IMAGE_CHARS, max_pages=3, elsewhere=[])
    image_root = etree.fromstring(f"<div>{with_image.article.body}</div>")
    assert image_root.find("div/img") is not None and "epsilon" not in "".join(image_root.itertext())
    assert with_image.whole == len("Onealpha beta gamma deltaepsilon zeta") + IMAGE_CHARS


def _body(xhtml: str) -> etree._Element:
    return etree.fromstring(f'<div xmlns="{XHTML}" class="article-body">{xhtml}</div>')


def _text(elements: list[etree._Element]) -> str:
    return "".join("".join(e.itertext()) for e in elements)


def test_a_long_body_splits_between_blocks_and_opens_its_wrappers_again() -> None:
    paragraphs = "".join(f"<p>Paragraph {n} {'word ' * 40}</p>" for n in range(3000))
    body = _body(f'intro <div id="log" class="log">{paragraphs}</div> outro<p id="end">End.</p>')
    expected = _text([body])
    parts = split_body(body, limit=50_000)
    assert len(parts) >= 10
    assert all(len(etree.tostring(part)) <= 50_000 + 2_000 for part in parts)
    assert _text(parts) == expected  # every character once, in order
    wrappers = [part.find(f"{{{XHTML}}}div") for part in parts]
    assert all(w is not None and w.get("class") == "log" for w in wrappers)
    assert [w.get("id") for w in wrappers if w is not None].count("log") == 1  # an id stays unique


def test_one_enormous_block_of_text_is_cut_at_spaces() -> None:
    body = _body('<pre id="log">' + "".join(f"line {n} of the log\n" for n in range(40_000)) + "</pre>")
    expected = _text([body])
    parts = split_body(body, limit=100_000)
    assert len(parts) > 5 and _text(parts) == expected
    serialized = [etree.tostring(part).decode() for part in parts]
    assert sum(s.count('id="log"') for s in serialized) == 1  # an id stays unique
    assert all("<pre" in s and "ns0:" not in s for s in serialized)  # in the document's namespace
    assert all(t.endswith("\n") for t in ("".join(p.itertext()) for p in parts[:-1]))


def test_links_follow_their_target_into_another_document() -> None:
    first = _body('<p><a href="#n1">1</a> <a href="#here">here</a></p><p id="here">x</p>')
    second = _body('<p id="n1">note</p><a href="#here">back</a>')
    link_across({"a.xhtml": first, "a-2.xhtml": second})
    assert [a.get("href") for a in first.iter(f"{{{XHTML}}}a")] == ["a-2.xhtml#n1", "#here"]
    assert [a.get("href") for a in second.iter(f"{{{XHTML}}}a")] == ["a.xhtml#here"]


@pytest.mark.export
@pytest.mark.pdf
def test_a_long_article_is_several_valid_epub_documents_and_a_bounded_pdf(tmp_path: Path) -> None:
    page = log_page(tmp_path / "in", 3000, note_link=True)  # about 1.3 MB of text
    out = tmp_path / "out"
    shown = export(
        str(page.parent), "--out", str(out), "--format", "epub", "--format", "pdf", "--pdf-max-pages", "12"
    )
    assert "printed in part" in shown and "abridged" in shown

    book = out / "saved-articles.epub"
    with zipfile.ZipFile(book) as epub:
        documents = sorted(n for n in epub.namelist() if n.startswith("EPUB/article-0001"))
        sizes = [epub.getinfo(n).file_size for n in documents]
        text = "".join(epub.read(n).decode() for n in documents)
    assert len(documents) >= 4 and max(sizes) < MAX_DOCUMENT_BYTES + 4096
    assert all(f"Entry {n}:" in text for n in (0, 1500, 2999)) and "The last note" in text
    assert 'href="article-0001-' in text  # the link at the top reaches the note in a later document
    assert epubcheck_problems(book) == {str(book): []}

    pdf = out / "saved-articles.pdf"
    assert pdf_problems(pdf) == []
    reader = PdfReader(pdf)
    assert len(reader.pages) <= 1 + 12  # the title page, and at most 12 of the article
    last = " ".join(reader.pages[-1].extract_text().split())
    assert "too long to print whole" in last and "saved-articles.epub" in last
    assert "Entry 2999" not in "".join(page.extract_text() for page in reader.pages)

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    [printed] = [m for m in manifest["associatedMedia"] if m["encodingFormat"] == "application/pdf"]
    [abridged] = printed["archiver:abridged"]
    assert abridged["@id"] == manifest["hasPart"][0]["@id"] and "12 pages" in abridged["description"]
    [whole] = [m for m in manifest["associatedMedia"] if m["encodingFormat"] == "application/epub+zip"]
    assert whole["archiver:abridged"] == []


@pytest.mark.export
@pytest.mark.pdf
def test_a_40_mb_page_goes_through_every_format_in_minutes(tmp_path: Path) -> None:
    page = log_page(tmp_path / "in", 115_000)
    assert page.stat().st_size > 40_000_000
    out = tmp_path / "out"
    started = time.monotonic()
    shown = export(str(page.parent), "--out", str(out), "--jobs", "2")
    took = time.monotonic() - started
    assert took < 6 * 60, f"the 40 MB page took {took:.0f} s"
    assert "printed in part" in shown

    reader = PdfReader(out / "saved-articles.pdf")
    assert len(reader.pages) <= 1 + 300
    assert "too long to print whole" in " ".join(reader.pages[-1].extract_text().split())
    with zipfile.ZipFile(out / "saved-articles.epub") as epub:
        documents = [i for i in epub.infolist() if i.filename.startswith("EPUB/article-0001")]
        assert len(documents) > 100 and max(i.file_size for i in documents) < MAX_DOCUMENT_BYTES + 4096
        assert "Entry 114999:" in epub.read(documents[-1].filename).decode()
    book = out / "saved-articles.epub"
    assert epubcheck_problems(book) == {str(book): []}  # 10 s for 40 MB
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert {m["contentUrl"] for m in manifest["associatedMedia"]} == {
        "saved-articles.epub",
        "saved-articles.pdf",
        "warc/saved-articles-00001.warc.gz",
        "saved-articles.wacz",
        "site",
    }
    [whole_page] = (out / "site" / "articles").glob("*.html")
    assert "Entry 114999:" in whole_page.read_text(encoding="utf-8")[-20_000:]  # the site holds it whole
