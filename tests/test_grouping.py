"""Sections (--group-by): the EPUB's navigation and NCX and the PDF's contents and bookmarks nest
each article under its section, once (an article with two tags under its first, its header
showing them all). The wallabag export of test_selection, written here."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pypdf
import pytest
from lxml import etree
from typer.testing import CliRunner

import archiver
from archiver import ExportSettings, UsageError
from archiver.book.grouping import sections
from archiver.cli.app import app
from archiver.model import Article, Source
from tests.test_selection import wallabag
from tests.validators import epubcheck_problems

runner = CliRunner()
XHTML = "{http://www.w3.org/1999/xhtml}"
NCX = "{http://www.daisy.org/z3986/2005/ncx/}"


def _article(title: str, tags: tuple[str, ...] = (), published: date | None = None) -> Article:
    source = Source(path=title, kind="test", sha256="0" * 64, size=1, saved=date(2025, 1, 15))
    return Article(title=title, body="<p>x</p>", source=source, tags=tags, published=published)


def test_sections_by_first_tag_month_and_year() -> None:
    a = _article("a", ("Science", "climate"), date(2024, 3, 1))
    b = _article("b", ("climate",), date(2023, 12, 31))
    c = _article("c", (), None)
    d = _article("d", ("Climate",), date(2024, 3, 30))
    by_tag = [(s.title, [x.title for x in s.articles]) for s in sections([a, b, c, d], "tag")]
    assert by_tag == [("climate", ["b", "d"]), ("Science", ["a"]), ("Untagged", ["c"])]
    by_month = [(s.title, [x.title for x in s.articles]) for s in sections([a, b, c, d], "month")]
    assert by_month == [("December 2023", ["b"]), ("March 2024", ["a", "d"]), ("Undated", ["c"])]
    assert [s.title for s in sections([a, b, c, d], "year")] == ["2023", "2024", "Undated"]
    assert [s.title for s in sections([a, b, c, d], "year", "saved")] == ["2025"]
    assert [s.title for s in sections([a, b], "none")] == [None]


def _nav_tree(book: Path) -> tuple[list[tuple[str, list[str]]], list[tuple[str, list[str]]], str]:
    """The navigation document's and the NCX's (section, [article titles]), and every header."""
    with zipfile.ZipFile(book) as epub:
        nav = etree.fromstring(epub.read("EPUB/nav.xhtml"))
        ncx = etree.fromstring(epub.read("EPUB/toc.ncx"))
        headers = " ".join(
            epub.read(name).decode() for name in epub.namelist() if name.startswith("EPUB/article-")
        )
    top = next(nav.iter(f"{XHTML}ol"))
    in_nav = [
        (
            "".join(li[0].itertext()),
            ["".join(a.itertext()).split(" — ")[0] for a in li.iter(f"{XHTML}a")][1:],
        )
        for li in top.iterchildren(f"{XHTML}li")
    ]
    in_ncx = [
        (
            point.findtext(f"{NCX}navLabel/{NCX}text"),
            [
                p.findtext(f"{NCX}navLabel/{NCX}text").split(" — ")[0]
                for p in point.iterchildren(f"{NCX}navPoint")
            ],
        )
        for point in ncx.find(f"{NCX}navMap").iterchildren(f"{NCX}navPoint")
    ]
    return in_nav, in_ncx, headers


def _outline(pdf: Path) -> list[tuple[str, list[str]]]:
    reader = pypdf.PdfReader(pdf)
    tree: list[tuple[str, list[str]]] = []
    for item in reader.outline:
        if isinstance(item, list):
            tree[-1][1].extend(
                str(child.title).split(" — ")[0] for child in item if not isinstance(child, list)
            )
        else:
            tree.append((str(item.title), []))
    return tree


@pytest.mark.export
def test_books_nest_articles_under_their_sections(tmp_path: Path) -> None:
    export = wallabag(tmp_path / "in")
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        [
            "export",
            str(export),
            "--out",
            str(out),
            "--format",
            "epub",
            "--format",
            "pdf",
            "--group-by",
            "tag",
            "-q",
        ],
    )
    assert result.exit_code == 0, result.output
    [book] = out.glob("*.epub")
    [pdf] = out.glob("*.pdf")
    expected = [
        ("climate", ["Glaciers retreat", "Sea ice record", "Old heat wave"]),  # "Climate" is the same tag
        ("games", ["Chess openings"]),
    ]
    in_nav, in_ncx, headers = _nav_tree(book)
    assert in_nav == expected
    assert in_ncx == expected
    assert "Tags: climate, science" in headers  # its second tag is shown, though it is filed under the first
    assert epubcheck_problems(book) == {str(book): []}

    assert _outline(pdf) == expected
    reader = pypdf.PdfReader(pdf)
    contents = reader.pages[1].extract_text()
    assert contents.index("climate") < contents.index("Glaciers retreat") < contents.index("Old heat wave")
    assert contents.index("Old heat wave") < contents.index("games") < contents.index("Chess openings")
    # The articles are bound in the sections' order: "Chess openings", given second, comes last.
    firsts = [
        reader.get_destination_page_number(item) for item in reader.outline if not isinstance(item, list)
    ]
    assert firsts == sorted(firsts) and firsts[0] == 2
    last_page = reader.pages[-1].extract_text()
    assert "Chess openings" in last_page

    # A tagged PDF is rendered whole, not bound from parts: the same sections, from the stylesheet.
    tagged = tmp_path / "tagged"
    result = runner.invoke(
        app,
        [
            "export",
            str(export),
            "--out",
            str(tagged),
            "--format",
            "pdf",
            "--group-by",
            "tag",
            "--pdf-variant",
            "pdf/ua-1",
        ],
    )
    assert result.exit_code == 0, result.output
    [whole] = tagged.glob("*.pdf")
    assert _outline(whole) == expected
    reader = pypdf.PdfReader(whole)
    pages = [
        reader.get_destination_page_number(item) for item in reader.outline if not isinstance(item, list)
    ]
    assert pages == [2, 5]  # each section's bookmark on its first article's first page


@pytest.mark.export
def test_month_sections_by_saved_date_and_an_unknown_grouping(tmp_path: Path) -> None:
    export = wallabag(tmp_path / "in")
    out = tmp_path / "out"
    args = ["export", str(export), "--out", str(out), "--format", "epub", "-q"]
    result = runner.invoke(app, [*args, "--group-by", "month", "--date-of", "saved"])
    assert result.exit_code == 0, result.output
    in_nav, _, _ = _nav_tree(next(out.glob("*.epub")))
    assert in_nav == [
        ("January 2024", ["Old heat wave"]),
        ("February 2024", ["Glaciers retreat"]),
        ("March 2024", ["Chess openings"]),
        ("June 2024", ["Sea ice record"]),
    ]
    result = runner.invoke(app, [*args, "--group-by", "colour"])
    assert result.exit_code == 2
    said = " ".join(result.output.replace("│", " ").split())
    assert "Invalid value for '--group-by'" in said and "'colour' is not one of 'tag'" in said
    with pytest.raises(UsageError, match="unknown --group-by 'colour'"):  # the API checks it too
        archiver.export([export], out, ExportSettings(group_by="colour"))  # type: ignore[arg-type]
