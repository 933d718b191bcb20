"""The PDF exporter, checked by pypdf, poppler and qpdf."""

from __future__ import annotations

import itertools
import json
import re
import subprocess
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader
from typer.testing import CliRunner

from archiver.cli.app import app
from archiver.model import Article, Failure
from tests.conftest import ROOT
from tests.helpers import export, kept_by_export, read_one
from tests.test_resources import saved_page
from tests.validators import pdf_problems, require

pytestmark = pytest.mark.pdf

runner = CliRunner()


def outline_titles(reader: PdfReader) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []

    def walk(items: list, depth: int) -> None:  # type: ignore[type-arg]
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, str(item.title)))

    walk(reader.outline, 0)
    return found


@pytest.fixture(scope="module")
def corpus_pdf(corpus_package: Path) -> Path:
    return corpus_package / "the-whole-corpus.pdf"


@pytest.fixture(scope="module")
def corpus_records(corpus_pdf: Path) -> list[dict]:  # type: ignore[type-arg]
    reader = PdfReader(corpus_pdf)
    [data] = reader.attachments["provenance.json"]
    return list(json.loads(data)["articles"])


def test_poppler_and_qpdf_accept_it(corpus_pdf: Path) -> None:
    info = subprocess.run(
        [require("pdfinfo"), str(corpus_pdf)], capture_output=True, text=True, check=True
    ).stdout
    assert "Title:           The whole corpus" in info and "Producer:        WeasyPrint" in info
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    assert pages > 173
    check = subprocess.run(
        [require("qpdf"), "--check", str(corpus_pdf)], capture_output=True, text=True, check=False
    )
    assert check.returncode == 0 and "No syntax or stream encoding errors" in check.stdout


def test_outline_has_one_entry_per_article_with_headings_below(
    corpus_pdf: Path, corpus_records: list[dict]
) -> None:  # type: ignore[type-arg]
    reader = PdfReader(corpus_pdf)
    top = [title for depth, title in outline_titles(reader) if depth == 0]
    assert top == [" ".join((r["title"] or "Untitled").split()) for r in corpus_records]
    assert any(depth == 1 for depth, _ in outline_titles(reader))


def test_each_article_starts_a_page_with_its_title(corpus_pdf: Path, corpus_records: list[dict]) -> None:  # type: ignore[type-arg]
    reader = PdfReader(corpus_pdf)
    starts = [
        reader.get_destination_page_number(item) for item in reader.outline if not isinstance(item, list)
    ]
    assert len(starts) == len(corpus_records) and starts == sorted(set(starts))
    pdftotext = require("pdftotext")
    for record, page in list(zip(corpus_records, starts, strict=True))[::7]:  # every 7th: poppler is slow
        text = subprocess.run(
            [pdftotext, "-f", str(page + 1), "-l", str(page + 1), "-layout", str(corpus_pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        words = (record["title"] or "Untitled").split()[:4]
        flat = " ".join(text.split())
        assert all(word in flat for word in words), (record["title"], flat[:300])


def test_the_corpus_package_manifest_validates_and_verifies(corpus_pdf: Path) -> None:
    import jsonschema

    from tests.conftest import ROOT

    schema = json.loads((ROOT / "schemas" / "manifest.schema.json").read_text(encoding="utf-8"))
    document = json.loads((corpus_pdf.parent / "manifest.json").read_text(encoding="utf-8"))
    jsonschema.validate(document, schema)
    assert len(document["hasPart"]) == 170
    assert corpus_pdf.name in [media["contentUrl"] for media in document["associatedMedia"]]
    result = runner.invoke(app, ["verify", str(corpus_pdf.parent)])
    assert result.exit_code == 0 and "everything matches" in result.output, result.output[-2000:]


def test_contents_page_numbers_and_links_lead_to_each_article(corpus_pdf: Path) -> None:
    """The contents page is rendered before the articles are bound after it: its printed numbers
    and its links must still land on each article's first page, and each page shows its number."""
    reader = PdfReader(corpus_pdf)
    starts = [
        reader.get_destination_page_number(item) for item in reader.outline if not isinstance(item, list)
    ]
    contents = range(1, starts[0])
    text = subprocess.run(
        [require("pdftotext"), "-layout", "-f", "2", "-l", str(starts[0]), str(corpus_pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    lines = [line.split() for page in text.split("\f") for line in page.splitlines()[:-1]]  # not the footer
    printed = [int(words[-1]) for words in lines if words and words[-1].isdigit()]
    assert printed == [page + 1 for page in starts]
    linked = [
        reader.get_page_number(annotation.get_object()["/Dest"][0].get_object())
        for number in contents
        for annotation in reader.pages[number].get("/Annots", [])
        if "/Dest" in annotation.get_object()
    ]
    assert list(dict.fromkeys(linked)) == starts
    cover = reader.pages[0].extract_text()
    assert cover.startswith("The whole corpus") and cover.split()[-1] == "2024-03-23"  # the cover: no number
    for number in (1, starts[5], len(reader.pages) - 1):
        footer = subprocess.run(
            [
                require("pdftotext"),
                "-f",
                str(number + 1),
                "-l",
                str(number + 1),
                "-layout",
                str(corpus_pdf),
                "-",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert footer.split()[-1] == str(number + 1)


def test_internal_links_point_at_pages_of_their_own_article(corpus_pdf: Path) -> None:
    reader = PdfReader(corpus_pdf)
    starts = [
        reader.get_destination_page_number(item) for item in reader.outline if not isinstance(item, list)
    ]
    bounds = [*starts, len(reader.pages)]
    checked = 0
    for article, (first, end) in enumerate(itertools.pairwise(bounds)):
        for number in range(first, end):
            for annotation in reader.pages[number].get("/Annots", []):
                target = annotation.get_object().get("/Dest")
                if target is None:
                    continue
                if not isinstance(target, list):  # a name: look it up in the book's name tree
                    target = reader.named_destinations[str(target)]
                    page = reader.get_destination_page_number(target)
                else:
                    page = reader.get_page_number(target[0].get_object())
                assert first <= page < end, (article, number, page)
                checked += 1
    assert checked > 10  # footnote and contents links of real articles


def test_provenance_is_attached_as_source_and_declares_pdfa3b(
    corpus_pdf: Path,
    corpus: Path,
    corpus_items: tuple[Article | Failure, ...],
    corpus_records: list[dict],  # type: ignore[type-arg]
) -> None:
    articles = kept_by_export([a for a in corpus_items if isinstance(a, Article)], corpus_pdf.parent, corpus)
    assert [r["input"]["sha256"] for r in corpus_records] == [a.source.sha256 for a in articles]
    duplicates = json.loads((corpus_pdf.parent / "manifest.json").read_text())["archiver:duplicates"]
    assert [d.split()[0] for d in duplicates] == [  # checked by hand: the same bytes; the same page and text
        "corpus/readability/lifehacker-working/expected.html",
        # the same address and, once the comments loaded into the other copy are left out, the
        # same article text, word for word (checked by hand)
        "corpus/readability/lifehacker-working/source.html",
        "corpus/trafilatura/pinkstinks.de-Kulturtechnik/source.html",
    ]
    reader = PdfReader(corpus_pdf)
    files = reader.trailer["/Root"]["/Names"]["/EmbeddedFiles"]["/Names"]
    spec = files[1].get_object()
    assert files[0] == "provenance.json" and spec["/AFRelationship"] == "/Source"
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp


def test_a_page_renders_readably(corpus: Path, tmp_path: Path) -> None:
    """pdftoppm renders the first article page: its text is the article's, set in lines of ink
    inside a margin left blank on every side."""
    source = corpus / "synthesized/bbc-1/gmail-forward.eml"
    export(str(source), "--out", str(tmp_path), "--format", "pdf")
    [pdf] = tmp_path.glob("*.pdf")
    shown = subprocess.run(
        [require("pdftotext"), "-f", "2", "-l", "2", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    body = etree.fromstring(f"<div>{read_one(source).body}</div>")
    opening = " ".join(" ".join(body.itertext()).split()[:12])
    assert opening in " ".join(shown.split()), (opening, shown[:500])
    subprocess.run(
        [require("pdftoppm"), "-r", "60", "-gray", "-f", "2", "-l", "2", str(pdf), str(tmp_path / "p")],
        check=True,
    )
    [image] = tmp_path.glob("p*.pgm")
    from PIL import Image

    with Image.open(image) as page:
        width, height = page.size
        pixels = page.load()
        inked = [any(pixels[x, y] < 128 for x in range(width)) for y in range(height)]  # type: ignore[index]
        edges = [pixels[x, y] for x in range(width) for y in (*range(6), *range(height - 6, height))]  # type: ignore[index]
        edges += [pixels[x, y] for y in range(height) for x in (*range(6), *range(width - 6, width))]  # type: ignore[index]
    lines = sum(1 for above, row in zip([False, *inked], inked, strict=False) if row and not above)
    assert lines >= 15, lines  # a page of text, line by line, not one block of ink
    assert min(edges) >= 128  # nothing printed in the margins


def test_local_files_are_never_embedded_or_loaded(tmp_path: Path) -> None:
    """A saved page's <link rel=attachment href=file:///...> would make WeasyPrint attach that file."""
    secret = tmp_path / "secret.txt"
    secret.write_text("PRIVATE-DATA-12345")
    page = saved_page(
        tmp_path / "in",
        "<p>" + "Words of the story. " * 30 + "</p>"
        f'<a rel="attachment" href="file://{secret}">attach</a>'
        f'<img src="file://{secret}"><link rel="stylesheet" href="file://{secret}">',
    )
    page.write_text(
        page.read_text().replace("<head>", f'<head><link rel="attachment" href="file://{secret}">')
    )
    export(str(page), "--out", str(tmp_path / "out"), "--format", "pdf")
    [pdf] = (tmp_path / "out").glob("*.pdf")
    reader = PdfReader(pdf)
    assert list(reader.attachments) == ["provenance.json"]
    assert b"PRIVATE-DATA-12345" not in pdf.read_bytes()
    subprocess.run(
        [require("qpdf"), "--qdf", "--object-streams=disable", str(pdf), str(tmp_path / "plain.pdf")],
        check=True,
    )
    assert b"PRIVATE-DATA-12345" not in (tmp_path / "plain.pdf").read_bytes()


def test_same_inputs_give_the_same_bytes(corpus: Path, tmp_path: Path) -> None:
    for name in ("a", "b"):
        export(str(corpus / "email"), "--out", str(tmp_path / name), "--format", "pdf", "--title", "Mail")
    assert (tmp_path / "a" / "mail.pdf").read_bytes() == (tmp_path / "b" / "mail.pdf").read_bytes()


def test_parallel_cached_and_whole_builds_agree(corpus: Path, tmp_path: Path) -> None:
    """--jobs 2 and --jobs 1 give the same bytes; a rebuild after adding one article renders only
    that one, and equals a build from nothing."""
    folder = corpus / "email" / "php-mime-mail-parser"
    inputs = sorted(str(p) for p in folder.rglob("*.eml"))[:5]
    export(*inputs[:4], "--out", str(tmp_path / "inc"), "--format", "pdf", "--title", "T", "--jobs", "2")
    cached = {p.name for p in (tmp_path / "inc").rglob("*.pdf") if p.parent.name != "inc"}
    export(*inputs, "--out", str(tmp_path / "inc"), "--format", "pdf", "--title", "T", "--jobs", "2")
    added = {p.name for p in (tmp_path / "inc").rglob("*.pdf") if p.parent.name != "inc"} - cached
    assert len(added) == 1  # the new article; the page numbers' renderings are reused
    export(
        *inputs,
        "--out",
        str(tmp_path / "one"),
        "--format",
        "pdf",
        "--title",
        "T",
        "--jobs",
        "1",
        "--no-cache",
    )
    assert not (tmp_path / "one" / ".archiver" / "cache").exists()
    assert (tmp_path / "inc" / "t.pdf").read_bytes() == (tmp_path / "one" / "t.pdf").read_bytes()


def test_per_article_pdfs_on_two_processes_are_the_ones_written_one_by_one(tmp_path: Path) -> None:
    examples = [str(ROOT / "examples" / kind) for kind in ("mail", "mhtml", "saved-page")]
    for jobs in ("1", "2"):
        export(*examples, "--out", str(tmp_path / jobs), "--format", "pdf", "--per-article", "--jobs", jobs)
    written = {p.name: p.read_bytes() for p in (tmp_path / "1").glob("*.pdf")}
    assert len(written) == len(json.loads((tmp_path / "1" / "manifest.json").read_text())["hasPart"]) >= 5
    assert {p.name: p.read_bytes() for p in (tmp_path / "2").glob("*.pdf")} == written
    for pdf in (tmp_path / "2").glob("*.pdf"):
        check = subprocess.run(
            [require("qpdf"), "--check", str(pdf)], capture_output=True, text=True, check=False
        )
        assert check.returncode == 0 and pdf_problems(pdf) == [], (pdf.name, check.stdout[-500:])


def test_tagged_variant_is_rendered_whole(corpus: Path, tmp_path: Path) -> None:
    export(
        str(corpus / "email"),
        "--out",
        str(tmp_path),
        "--format",
        "pdf",
        "--pdf-variant",
        "pdf/ua-1",
        "--title",
        "Tagged",
    )
    reader = PdfReader(tmp_path / "tagged.pdf")
    assert "/StructTreeRoot" in reader.trailer["/Root"] and len(reader.outline) >= 6


@pytest.mark.parametrize("size, width", [("A5", 419.53), ("Letter", 612.0)])
def test_page_size(corpus: Path, tmp_path: Path, size: str, width: float) -> None:
    export(
        str(corpus / "email/php-mime-mail-parser/m0014"),
        "--out",
        str(tmp_path),
        "--format",
        "pdf",
        "--page-size",
        size,
    )
    [pdf] = tmp_path.glob("*.pdf")
    assert abs(float(PdfReader(pdf).pages[0].mediabox.width) - width) < 1
