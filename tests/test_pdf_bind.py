"""The binder (pdf_assemble, pdf_stream) on parts made here with pikepdf, each holding one of the
things a bound book must keep: named and GoTo links, nested bookmarks open and closed, a page
that inherits its size from its page tree, a string that reads like a reference, the front
matter's catalog. The books are read back with pikepdf and pypdf and checked by qpdf."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from io import BytesIO
from pathlib import Path

import pikepdf
import pytest
from pikepdf import Array, Dictionary, Name, Pdf, String
from pypdf import PdfReader

from archiver.exporters.pdf.bind import ARTICLE_LINK, assemble
from archiver.exporters.pdf.book import NUMBERED_RUN
from archiver.exporters.pdf.stream import PdfStreamWriter
from tests.conftest import ROOT
from tests.validators import require

pytestmark = pytest.mark.pdf

A4 = [0, 0, 595, 842]
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></x:xmpmeta>'


def page(pdf: Pdf, text: str) -> pikepdf.Page:
    font = pdf.make_indirect(Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica))
    content = pdf.make_stream(f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode())
    new = Dictionary(
        Type=Name.Page, Contents=content, Resources=Dictionary(Font=Dictionary(F1=font)), MediaBox=Array(A4)
    )
    pdf.pages.append(pikepdf.Page(new))
    return pdf.pages[-1]


def link(target: pikepdf.Object, rect: tuple[int, int, int, int] = (72, 700, 200, 720)) -> Dictionary:
    return Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=Array(list(rect)), Dest=target)


def outline_item(
    pdf: Pdf, title: str, dest: pikepdf.Object, children: Sequence[Dictionary] = (), is_open: bool = False
) -> Dictionary:
    item = pdf.make_indirect(Dictionary(Title=String(title), Dest=dest))
    for n, child in enumerate(children):
        child.Parent = item
        if n:
            child.Prev = children[n - 1]
            children[n - 1].Next = child
    if children:
        item.First, item.Last = children[0], children[-1]
        item.Count = len(children) if is_open else -len(children)
    return item


def with_outline(pdf: Pdf, items: list[Dictionary]) -> None:
    root = pdf.make_indirect(Dictionary(Type=Name.Outlines, Count=len(items)))
    for n, item in enumerate(items):
        item.Parent = root
        if n:
            item.Prev, items[n - 1].Next = items[n - 1], item
    root.First, root.Last = items[0], items[-1]
    pdf.Root.Outlines = root


def saved(pdf: Pdf, path: Path) -> Path:
    pdf.save(path)
    return path


def front_matter() -> bytes:
    """A title page and a contents page linking to articles 0 and 1 the way pdf.py's does, with
    the catalog entries the book must keep (metadata, an attached file) and named destinations
    it must not (they would clash with the parts')."""
    pdf = Pdf.new()
    pdf.docinfo["/Title"] = String("A bound book")
    page(pdf, "Title page")
    contents = page(pdf, "Contents")
    contents.obj.Annots = Array(
        [
            Dictionary(
                Type=Name.Annot,
                Subtype=Name.Link,
                Rect=Array([72, 700 - 20 * n, 300, 720 - 20 * n]),
                A=Dictionary(S=Name.URI, URI=String(f"{ARTICLE_LINK}{n}")),
            )
            for n in range(2)
        ]
    )
    pdf.Root.Metadata = pdf.make_stream(XMP, Type=Name.Metadata, Subtype=Name.XML)
    attached = pdf.make_stream(b'{"articles": []}', Type=Name.EmbeddedFile)
    spec = pdf.make_indirect(
        Dictionary(Type=Name.Filespec, F=String("provenance.json"), EF=Dictionary(F=attached))
    )
    pdf.Root.Names = Dictionary(
        EmbeddedFiles=Dictionary(Names=Array([String("provenance.json"), spec])),
        Dests=Dictionary(Names=Array([String("front"), Array([contents.obj, Name.Fit])])),
    )
    out = BytesIO()
    pdf.save(out)
    return out.getvalue()


def first_article(folder: Path) -> Path:
    """Three pages: a named-destination link and a GoTo link, both to its page 3, and a string that
    reads like a reference; bookmarks nested two deep, the first open."""
    pdf = Pdf.new()
    pages = [page(pdf, f"First article, page {n}") for n in (1, 2, 3)]
    pdf.Root.Names = Dictionary(
        Dests=Dictionary(
            Names=Array(
                [
                    String("article"),
                    Array([pages[0].obj, Name.XYZ, 0, 842, 0]),
                    String("notes"),
                    Array([pages[2].obj, Name.XYZ, 0, 400, 0]),
                ]
            )
        )
    )
    pages[0].obj.Annots = Array(
        [
            link(String("notes")),
            Dictionary(
                Type=Name.Annot,
                Subtype=Name.Link,
                Rect=Array([72, 600, 200, 620]),
                A=Dictionary(S=Name.GoTo, D=String("notes")),
            ),
            Dictionary(
                Type=Name.Annot,
                Subtype=Name.Link,
                Rect=Array([72, 500, 200, 520]),
                A=Dictionary(S=Name.URI, URI=String("https://example.org/a (1 0 R) \\ b")),
            ),
        ]
    )
    heading = outline_item(
        pdf,
        "A heading",
        Array([pages[1].obj, Name.XYZ, 0, 500, 0]),
        [outline_item(pdf, "A subheading", String("notes"))],
    )
    with_outline(pdf, [outline_item(pdf, "First article", String("article"), [heading], is_open=True)])
    return saved(pdf, folder / "first.pdf")


def second_article(folder: Path) -> Path:
    """One page whose size comes from its page tree (written raw: qpdf would move the size onto
    the page when saving, as it does when reading); a closed bookmark with a child."""
    path = folder / "second.pdf"
    with path.open("wb") as out:
        pdf = PdfStreamWriter(out, "1.4")
        catalog, pages, only, content, font, outlines, item, child = (pdf.allocate() for _ in range(8))
        pdf.write(catalog, b"<< /Type /Catalog /Pages %d 0 R /Outlines %d 0 R >>" % (pages, outlines))
        pdf.write(pages, b"<< /Type /Pages /Kids [ %d 0 R ] /Count 1 /MediaBox [ 0 0 420 595 ] >>" % only)
        pdf.write(
            only,
            b"<< /Type /Page /Parent %d 0 R /Contents %d 0 R /Resources << /Font << /F1 %d 0 R >> >> >>"
            % (pages, content, font),
        )
        pdf.write(content, b"<< >>", b"BT /F1 12 Tf 72 500 Td (Second article) Tj ET")
        pdf.write(font, b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
        pdf.write(outlines, b"<< /Type /Outlines /First %d 0 R /Last %d 0 R /Count 1 >>" % (item, item))
        pdf.write(
            item,
            b"<< /Title (Second article) /Parent %d 0 R /Dest [ %d 0 R /Fit ] /First %d 0 R /Last %d 0 R"
            b" /Count -1 >>" % (outlines, only, child, child),
        )
        pdf.write(
            child, b"<< /Title (Its only heading) /Parent %d 0 R /Dest [ %d 0 R /Fit ] >>" % (item, only)
        )
        pdf.finish(catalog, None)
    return path


def number_runs(folder: Path, total: int) -> list[Path]:
    folder.mkdir(exist_ok=True)
    runs = []
    for first in range(1, total + 1, NUMBERED_RUN):
        pdf = Pdf.new()
        for number in range(first, first + NUMBERED_RUN):
            page(pdf, f"page number {number}")
        runs.append(saved(pdf, folder / f"numbers-{first}.pdf"))
    return runs


@pytest.fixture
def book(tmp_path: Path) -> Path:
    dest = tmp_path / "book.pdf"
    assemble(
        front_matter(),
        [first_article(tmp_path), second_article(tmp_path)],
        [3, 1],
        number_runs(tmp_path, 6),
        dest,
    )
    return dest


def qpdf_check(path: Path) -> str:
    result = subprocess.run(
        [require("qpdf"), "--check", str(path)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_qpdf_and_poppler_accept_the_book(book: Path) -> None:
    assert "No syntax or stream encoding errors" in qpdf_check(book)
    info = subprocess.run([require("pdfinfo"), str(book)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           6" in info and "Title:           A bound book" in info


def test_links_lead_to_the_pages_they_led_to_in_their_part(book: Path) -> None:
    pdf = Pdf.open(book)
    index = {p.objgen: n for n, p in enumerate(pdf.pages)}
    contents, article = pdf.pages[1].obj.Annots, pdf.pages[2].obj.Annots
    assert [index[a.Dest[0].objgen] for a in contents] == [2, 5]  # articles 0 and 1 start on pages 3 and 6
    assert [index[a.Dest[0].objgen] for a in article[:2]] == [4, 4]  # "notes" named, then by GoTo
    assert str(article[2].A.URI) == "https://example.org/a (1 0 R) \\ b"  # left as it was


def test_bookmarks_keep_their_nesting_targets_and_open_state(book: Path) -> None:
    pdf = Pdf.open(book)
    index = {p.objgen: n for n, p in enumerate(pdf.pages)}
    with pdf.open_outline() as outline:

        def tree(items: list) -> list:  # type: ignore[type-arg]
            return [
                (str(i.title), index[i.destination[0].objgen], i.is_closed, tree(i.children)) for i in items
            ]

        assert tree(outline.root) == [
            ("First article", 2, False, [("A heading", 3, True, [("A subheading", 4, False, [])])]),
            ("Second article", 5, True, [("Its only heading", 5, False, [])]),
        ]
    root = pdf.Root.Outlines
    assert int(root.Count) == 3  # two top items and the open one's child: what a reader shows
    assert int(root.First.Count) == 1 and int(root.Last.Count) == -1


def test_pages_keep_inherited_sizes_and_get_their_numbers(book: Path) -> None:
    reader = PdfReader(book)
    assert [list(map(float, p.mediabox)) for p in reader.pages][-2:] == [A4, [0, 0, 420, 595]]
    assert "page number" not in reader.pages[0].extract_text()  # the cover shows none
    for number, current in enumerate(reader.pages[1:], 2):
        assert f"page number {number}" in current.extract_text()


def test_the_catalog_is_the_front_matters_without_its_names(book: Path) -> None:
    pdf = Pdf.open(book)
    assert "/Metadata" in pdf.Root and "/Dests" not in pdf.Root.Names
    assert list(pdf.attachments) == ["provenance.json"]
    assert pdf.attachments["provenance.json"].get_file().read_bytes() == b'{"articles": []}'
    assert pdf.trailer.ID[0] == pdf.trailer.ID[1] and len(bytes(pdf.trailer.ID[0])) == 16


def test_the_same_parts_give_the_same_bytes(book: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.pdf"
    assemble(
        front_matter(),
        [tmp_path / "first.pdf", tmp_path / "second.pdf"],
        [3, 1],
        number_runs(tmp_path / "again", 6),
        again,
    )
    assert again.read_bytes() == book.read_bytes()


@pytest.mark.parametrize("version", ["1.4", "1.7"])
def test_the_writer_alone_classic_and_packed(tmp_path: Path, version: str) -> None:
    """250 objects: three object streams from 1.5 on, a cross-reference table before."""
    path = tmp_path / "objects.pdf"
    with path.open("wb") as out:
        writer = PdfStreamWriter(out, version)
        catalog, pages, first = writer.allocate(), writer.allocate(), writer.allocate(250)
        for n in reversed(range(250)):  # in any order
            writer.write(first + n, b"<< /N %d /Next %d 0 R >>" % (n, first + (n + 1) % 250))
        writer.write(pages, b"<< /Type /Pages /Kids [ ] /Count 0 >>", None)
        writer.write(catalog, b"<< /Type /Catalog /Pages %d 0 R /Extra %d 0 R >>" % (pages, first))
        with pytest.raises(ValueError, match="written twice"):
            writer.write(first, b"null")
        writer.finish(catalog, None)
    qpdf_check(path)
    pdf = Pdf.open(path)
    assert pdf.pdf_version == version
    chain, item = [], pdf.Root.Extra
    for _ in range(250):
        chain.append(int(item.N))
        item = item.Next
    assert chain == list(range(250))
    packed = b"/ObjStm" in path.read_bytes()
    assert packed == (version >= "1.5")


def test_an_object_allocated_and_never_written_is_an_error(tmp_path: Path) -> None:
    with (tmp_path / "x.pdf").open("wb") as out:
        writer = PdfStreamWriter(out, "1.7")
        catalog, _forgotten = writer.allocate(), writer.allocate()
        writer.write(catalog, b"<< /Type /Catalog >>")
        with pytest.raises(ValueError, match="never written"):
            writer.finish(catalog, None)


def test_binding_memory_does_not_grow_with_the_number_of_parts(tmp_path: Path) -> None:
    """qpdf holding a whole book took about 240 kB per part; bound as it goes, 1,500 more parts
    must cost next to nothing. Peak resident memory of fresh processes binding 100 and 1,600."""
    part, runs = first_article(tmp_path), number_runs(tmp_path, 2 + 3 * 1600)
    peaks = [
        int(
            subprocess.run(
                [sys.executable, "-c", BIND_MANY, str(tmp_path), str(count), str(part)],
                capture_output=True,
                text=True,
                check=True,
                cwd=ROOT,
            ).stdout
        )
        for count in (100, 1600)
    ]
    assert len(runs) == 76 and peaks[1] - peaks[0] < 40 * 1024, (
        f"peak resident kB for 100 and 1,600 parts: {peaks}"
    )


BIND_MANY = """
import resource, sys
from pathlib import Path
from archiver.exporters.pdf.bind import assemble
from tests.test_pdf_bind import front_matter
folder, count, part = Path(sys.argv[1]), int(sys.argv[2]), Path(sys.argv[3])
runs = sorted(folder.glob("numbers-*.pdf"), key=lambda path: int(path.stem.split("-")[1]))
assemble(front_matter(), [part] * count, [3] * count, runs, folder / f"{count}.pdf")
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""
