"""The EPUB exporter, checked by EPUBCheck and by pandoc as an independent reader."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image
from typer.testing import CliRunner

from archiver.cli.app import app
from archiver.exporters import ExportOptions
from archiver.exporters.epub import book as epub
from archiver.model import Article
from tests.helpers import SEED, export, read_all
from tests.test_mail import RELATED
from tests.validators import epubcheck_problems, require

pytestmark = pytest.mark.export

runner = CliRunner()
OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"


@pytest.fixture(scope="module")
def corpus_epub(corpus_package: Path) -> Path:
    return corpus_package / "the-whole-corpus.epub"


def opf(book: Path) -> etree._Element:
    with zipfile.ZipFile(book) as archive:
        return etree.fromstring(archive.read("EPUB/content.opf"))


def test_whole_corpus_epub_passes_epubcheck(corpus_epub: Path) -> None:
    assert epubcheck_problems(corpus_epub) == {str(corpus_epub): []}


def test_per_article_epubs_of_mail_mhtml_and_reader_view_pass_epubcheck(corpus: Path, tmp_path: Path) -> None:
    inputs = [corpus / "synthesized", corpus / "email", corpus / "mhtml"] + ([SEED] if SEED.is_file() else [])
    export(*map(str, inputs), "--out", str(tmp_path), "--format", "epub", "--per-article")
    books = sorted(tmp_path.glob("*.epub"))
    assert len(books) == 9 + 6 + 2 + (1 if SEED.is_file() else 0)
    assert {book: found for book, found in epubcheck_problems(*books).items() if found} == {}


def test_same_inputs_give_the_same_bytes(corpus: Path) -> None:
    articles = [a for a in read_all(corpus / "synthesized", corpus / "email") if isinstance(a, Article)]
    first, _ = epub.build(articles, ExportOptions(title="Twice"))
    second, _ = epub.build(
        [a for a in read_all(corpus / "synthesized", corpus / "email") if isinstance(a, Article)],
        ExportOptions(title="Twice"),
    )
    assert hashlib.sha256(first).hexdigest() == hashlib.sha256(second).hexdigest()


def test_source_date_epoch_sets_the_dates(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    articles = [a for a in read_all(corpus / "email") if isinstance(a, Article)]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    data, _ = epub.build(articles, ExportOptions())
    book = zipfile.ZipFile(io.BytesIO(data))
    assert {info.date_time for info in book.infolist()} == {(2023, 11, 14, 22, 13, 20)}
    modified = etree.fromstring(book.read("EPUB/content.opf")).find(
        f".//{OPF}meta[@property='dcterms:modified']"
    )
    assert modified is not None and modified.text == "2023-11-14T22:13:20Z"


def test_pandoc_reads_title_every_chapter_and_every_image(corpus_epub: Path, tmp_path: Path) -> None:
    pandoc = require("pandoc")
    media = tmp_path / "media"
    meta = subprocess.run(
        [
            pandoc,
            "-f",
            "epub",
            "-t",
            "plain",
            "--standalone",
            "--wrap=none",
            "--template",
            str(_title_template(tmp_path)),
            f"--extract-media={media}",
            str(corpus_epub),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    ).stdout
    assert meta.strip() == "The whole corpus"
    text = " ".join(
        subprocess.run(
            [pandoc, "-f", "epub", "-t", "plain", "--wrap=none", str(corpus_epub)],
            capture_output=True,
            text=True,
            timeout=600,
            check=True,
        ).stdout.split()
    )
    with zipfile.ZipFile(corpus_epub) as archive:
        images = [n for n in archive.namelist() if n.startswith("EPUB/images/")]
        chapters = [n for n in archive.namelist() if n.startswith("EPUB/article-")]
        record = json.loads(archive.read("EPUB/provenance.json"))
    titles = [article["title"] or "Untitled" for article in record["articles"]]
    assert len(titles) == len(chapters) >= 99 + 28  # the folder also holds Readability's expected.html pages
    assert [t for t in titles if " ".join(t.split()) not in text] == []
    assert images and len(list(media.rglob("*.*"))) == len(images)


def _title_template(folder: Path) -> Path:
    template = folder / "title.plain"
    template.write_text("$title$\n")
    return template


def test_package_metadata_and_provenance(corpus_epub: Path, corpus: Path) -> None:
    package = opf(corpus_epub)
    metadata = package.find(f"{OPF}metadata")
    assert metadata is not None
    sources = [e.text for e in metadata.iter(f"{DC}source")]
    assert "http://www.bbc.com/news/world-us-canada-33646704" in sources
    assert "BBC News" in [e.text for e in metadata.iter(f"{DC}publisher")]
    issued = {m.get("refines") for m in metadata.iter(f"{OPF}meta") if m.get("property") == "dcterms:issued"}
    assert len(issued) >= 50
    manifest = {i.get("href"): i for i in package.iter(f"{OPF}item")}
    spine = {i.get("idref") for i in package.iter(f"{OPF}itemref")}
    assert manifest["provenance.json"].get("media-type") == "application/json"
    assert manifest["provenance.json"].get("id") not in spine
    assert manifest["cover.png"].get("properties") == "cover-image"
    with zipfile.ZipFile(corpus_epub) as archive:
        record = json.loads(archive.read("EPUB/provenance.json"))
    bbc = next(r for r in record["articles"] if r["input"]["path"].endswith("readability/bbc-1/source.html"))
    assert (
        bbc["input"]["sha256"]
        == hashlib.sha256((corpus / "readability/bbc-1/source.html").read_bytes()).hexdigest()
    )
    assert bbc["origins"]["published"].startswith("json-ld")


def test_chapter_header_says_where_and_when(corpus: Path, tmp_path: Path) -> None:
    export(str(corpus / "synthesized/bbc-1/gmail-forward.eml"), "--out", str(tmp_path), "--format", "epub")
    [book] = tmp_path.glob("*.epub")
    with zipfile.ZipFile(book) as archive:
        chapter = archive.read("EPUB/article-0001.xhtml").decode()
        nav = archive.read("EPUB/nav.xhtml").decode()
        names = archive.namelist()
    assert '<p class="byline">BBC News</p>' in chapter
    assert 'href="http://www.bbc.com/news/world-us-canada-33646704"' in chapter
    assert "Saved <time" in chapter and "gmail-forward.eml (eml)" in chapter
    assert "Obama admits US gun laws are his 'biggest frustration' — BBC News" in nav
    assert len([n for n in names if n.startswith("EPUB/images/")]) == 5


def test_identical_images_are_stored_once(tmp_path: Path) -> None:
    (tmp_path / "m.eml").write_text(RELATED)  # two cid: parts, the same PNG bytes
    export(str(tmp_path / "m.eml"), "--out", str(tmp_path / "out"), "--format", "epub")
    [book] = (tmp_path / "out").glob("*.epub")
    with zipfile.ZipFile(book) as archive:
        images = [n for n in archive.namelist() if n.startswith("EPUB/images/")]
        chapter = archive.read("EPUB/article-0001.xhtml").decode()
    assert len(images) == 1 and chapter.count(images[0].removeprefix("EPUB/")) == 2


def test_non_core_image_formats_are_converted(tmp_path: Path) -> None:
    bmp, tiff = io.BytesIO(), io.BytesIO()
    Image.new("RGB", (4, 3), (200, 10, 10)).save(bmp, "BMP")
    Image.new("RGB", (5, 2), (10, 200, 10)).save(tiff, "TIFF")
    (tmp_path / "page_files").mkdir()
    (tmp_path / "page_files" / "a.bmp").write_bytes(bmp.getvalue())
    (tmp_path / "page_files" / "b.tif").write_bytes(tiff.getvalue())
    (tmp_path / "page.html").write_text(
        "<html lang='en'><head><title>Formats</title></head><body><article>"
        + "<p>Some text of the article. </p>" * 20
        + "<img src='page_files/a.bmp' alt='bmp'><img src='page_files/b.tif' alt='tif'>"
        "</article></body></html>"
    )
    out = tmp_path / "out"
    export(str(tmp_path / "page.html"), "--out", str(out), "--format", "epub")
    [book] = out.glob("*.epub")
    with zipfile.ZipFile(book) as archive:
        images = {n: archive.read(n) for n in archive.namelist() if n.startswith("EPUB/images/")}
    assert len(images) == 2 and all(
        n.endswith(".png") and d.startswith(b"\x89PNG") for n, d in images.items()
    )
    assert epubcheck_problems(book) == {str(book): []}


def test_per_article_names_and_order(corpus: Path, tmp_path: Path) -> None:
    export(
        str(corpus / "synthesized/bbc-1/reader-view.html"),
        str(corpus / "synthesized/bbc-1/gmail-html-part.html"),
        str(corpus / "email/php-mime-mail-parser/m0014"),
        "--out",
        str(tmp_path),
        "--format",
        "epub",
        "--per-article",
    )
    names = sorted(p.name for p in tmp_path.glob("*.epub"))
    assert names == [
        "2000-05-17-test-message-from-netscape-communicator-4-7.epub",
        "undated-bbc-news-obama-admits-us-gun-laws-are-his-biggest-frustration-2.epub",
        "undated-bbc-news-obama-admits-us-gun-laws-are-his-biggest-frustration.epub",
    ]


def test_bad_options_are_one_line_errors(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "export",
            str(tmp_path),
            "--out",
            str(tmp_path / "o"),
            "--format",
            "docx",
            "--style",
            str(tmp_path / "none.css"),
        ],
    )
    assert result.exit_code == 2
    assert "unknown format 'docx'" in result.stderr and "none.css: cannot be read" in result.stderr
    assert not (tmp_path / "o").exists()


def test_a_failed_build_leaves_no_file(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(epub, "_fixed_zip", explode)
    with pytest.raises(KeyboardInterrupt):
        epub.write(
            [a for a in read_all(corpus / "email") if isinstance(a, Article)],
            tmp_path / "x.epub",
            ExportOptions(),
        )
    assert list(tmp_path.iterdir()) == []
