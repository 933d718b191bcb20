"""A selection of what the package holds (--tag, --folder, --status, --starred, --since, --until,
--outlet) makes a book of exactly the articles it names; one package yields several books, and
each output's manifest entry records the selection that made it. A wallabag export written here."""

from __future__ import annotations

import json
import zipfile
from datetime import date
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from archiver.book.selection import Selection
from archiver.cli.app import app
from archiver.model import Article, Source
from tests.conftest import ROOT
from tests.helpers import export

runner = CliRunner()
SCHEMA = json.loads((ROOT / "schemas" / "manifest.schema.json").read_text(encoding="utf-8"))

ENTRIES = [  # title, tags, archived, starred, published, saved
    ("Glaciers retreat", ["climate", "science"], False, True, "2024-02-01", "2024-02-02"),
    ("Sea ice record", ["Climate"], True, False, "2024-06-10", "2024-06-11"),
    ("Old heat wave", ["climate"], False, False, "2023-07-01", "2024-01-05"),
    ("Chess openings", ["games"], False, True, "2024-03-03", "2024-03-04"),
]


def wallabag(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    records = [
        {
            "id": n,
            "title": title,
            "url": f"https://news.example.org/{n}",
            "content": f"<p>{title}: "
            + "the story told at length, paragraph after paragraph. " * 12
            + "</p>",
            "tags": tags,
            "is_archived": int(archived),
            "is_starred": int(starred),
            "published_at": published,
            "created_at": f"{saved}T09:00:00+00:00",
            "domain_name": "news.example.org",
        }
        for n, (title, tags, archived, starred, published, saved) in enumerate(ENTRIES)
    ]
    path = folder / "wallabag.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    return path


def book_titles(book: Path) -> list[str]:
    with zipfile.ZipFile(book) as epub:
        nav = epub.read("EPUB/nav.xhtml").decode()
    return [title for title, *_ in ENTRIES if title in nav]


def test_each_criterion_picks_what_it_names() -> None:
    source = Source(path="x", kind="wallabag", sha256="0" * 64, size=1, saved=date(2024, 2, 2))
    article = Article(
        title="t", body="", source=source, tags=("Climate",), folder="Reading/Science", status="unread",
        starred=True, published=date(2024, 2, 1), outlet="Harbour News",
    )  # fmt: skip
    for holds in (
        Selection(tags=("climate",)),
        Selection(tags=("games", "CLIMATE")),
        Selection(folders=("Reading",)),
        Selection(folders=("reading/science",)),
        Selection(status="unread", starred=True),
        Selection(since=date(2024, 2, 1), until=date(2024, 2, 1)),
        Selection(since=date(2024, 2, 2), date_of="saved"),
        Selection(outlets=("harbour news",)),
    ):
        assert holds.holds(article), holds
    for misses in (
        Selection(tags=("games",)),
        Selection(folders=("Read",)),  # a folder, not a prefix of its name
        Selection(status="archived"),
        Selection(starred=False),
        Selection(since=date(2024, 2, 2)),
        Selection(until=date(2024, 2, 1), date_of="saved"),
        Selection(outlets=("Other",)),
    ):
        assert not misses.holds(article), misses
    undated = Article(title="t", body="", source=source)
    assert not Selection(since=date(2000, 1, 1)).holds(undated)  # no date: not "on or after"


@pytest.mark.export
def test_one_package_yields_several_books_each_with_its_selection(tmp_path: Path) -> None:
    given = wallabag(tmp_path / "in")
    out = tmp_path / "out"
    export(str(given), "--out", str(out), "--format", "epub", "-q")
    export(
        "--out", str(out), "--format", "epub", "--tag", "climate", "--status", "unread",
        "--since", "2024-01-01", "-q",
    )  # fmt: skip
    shown = export("--out", str(out), "--format", "epub", "--starred", "--title", "Starred", "-q")

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    jsonschema.validate(manifest, SCHEMA)
    assert len(manifest["hasPart"]) == 4  # the package, whatever each book holds
    books = {m["contentUrl"]: m for m in manifest["associatedMedia"]}
    assert len(books) == 3, sorted(books)
    ids = {node["headline"]: node["@id"] for node in manifest["hasPart"]}

    whole = next(m for m in books.values() if m["archiver:selection"] is None)
    assert book_titles(out / whole["contentUrl"]) == [title for title, *_ in ENTRIES]

    climate = next(
        m for m in books.values() if (m["archiver:selection"] or {}).get("keywords") == ["climate"]
    )
    assert climate["archiver:selection"]["archiver:readingStatus"] == "unread"
    assert climate["archiver:selection"]["archiver:since"] == "2024-01-01"
    assert [d["@id"] for d in climate["prov:wasDerivedFrom"]] == [ids["Glaciers retreat"]]
    assert book_titles(out / climate["contentUrl"]) == ["Glaciers retreat"]
    assert "tagged climate, unread, published 2024-01-01" in climate["archiver:selection"]["description"]

    starred = books["starred.epub"]
    assert starred["archiver:selection"]["archiver:starred"] is True
    assert book_titles(out / "starred.epub") == ["Glaciers retreat", "Chess openings"]
    assert "error" not in shown


@pytest.mark.export
def test_a_selection_that_picks_nothing_writes_nothing_and_says_so(tmp_path: Path) -> None:
    out = tmp_path / "out"
    export(str(wallabag(tmp_path / "in")), "--out", str(out), "--format", "epub", "-q")
    before = sorted(p.name for p in out.iterdir())
    result = runner.invoke(app, ["export", "--out", str(out), "--tag", "cooking"])
    assert result.exit_code != 0
    assert "no article in the package is tagged cooking" in result.output
    assert sorted(p.name for p in out.iterdir()) == before
    wrong = runner.invoke(app, ["export", "--out", str(out), "--status", "read"])
    said = " ".join(wrong.output.replace("│", " ").split())
    assert wrong.exit_code == 2 and "'read' is not one of 'unread', 'archived'" in said
