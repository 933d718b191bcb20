"""One article, many sources: the same address saved in several exports is one article with the
tags and state of every save, its text from the save that had it, and every input in its
provenance. The exports are written here, in each service's documented form."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

import archiver
from archiver import Article, ExportSettings, Finished, Source
from archiver.package.merge import merge, mergeable
from tests.conftest import ROOT

URL = "https://news.example.org/2024/keeping-pages"


def article(kind: str, content: str = "link", entry: int | None = 0, **state: object) -> Article:
    source = Source(path=f"{kind}.export", kind=kind, sha256=kind * 8, size=1, entry_index=entry)
    return replace(Article(title=kind, body="<p>x</p>", source=source, url=URL, content=content), **state)  # type: ignore[arg-type]


def test_the_save_with_the_text_is_the_article_and_the_state_of_both_is_kept() -> None:
    link = article("pocket-csv", tags=("later", "web"), status="unread", starred=None)
    full = article("wallabag-json", content="full", tags=("web", "archive"), status="archived", starred=True)
    merged = merge(link, full)
    assert merged.source is full.source and merged.content == "full" and merged.title == "wallabag-json"
    assert (
        merged.tags == ("later", "web", "archive") and merged.status == "archived" and merged.starred is True
    )
    assert merged.also_from == (link.source,)
    again = merge(merged, article("firefox-bookmarks-json", tags=("bookmarks",), starred=False))
    assert again.also_from == (link.source, again.also_from[1]) and again.tags[-1] == "bookmarks"
    assert again.starred is True and again.status == "archived"


def test_two_pages_saved_whole_are_not_merged() -> None:
    """Each is its own evidence of what the page was; the duplicate check decides about them."""
    assert not mergeable(
        article("html", content="full", entry=None), article("mhtml", content="full", entry=None)
    )
    assert mergeable(article("html", content="full", entry=None), article("pocket-csv"))


@pytest.mark.export
def test_a_pocket_and_a_wallabag_export_of_the_same_reading_give_one_article(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a-pocket.csv").write_text(
        f"title,url,time_added,tags,status\nKeeping pages,{URL},1714640000,later|web,unread\n"
    )
    (tmp_path / "in" / "b-wallabag.json").write_text(
        json.dumps(
            [
                {
                    "url": URL,
                    "title": "Keeping pages from falling apart",
                    "is_archived": 1,
                    "is_starred": 0,
                    "tags": ["web", "archives"],
                    "created_at": "2024-05-03T09:00:00+0200",
                    "content": "<p>Every library that keeps newspapers on paper knows the problem.</p>",
                }
            ]
        )
    )
    out = tmp_path / "out"
    events = list(archiver.export([tmp_path / "in"], out, ExportSettings(formats=["epub", "warc"])))
    done = events[-1]
    assert isinstance(done, Finished) and (done.articles, done.merged, done.links) == (1, 1, 0)
    [node] = json.loads((out / "manifest.json").read_text())["hasPart"]
    assert node["headline"] == "Keeping pages from falling apart" and node["archiver:content"] == "full"
    assert node["keywords"] == ["later", "web", "archives"] and node["archiver:readingStatus"] == "archived"
    assert node["prov:wasDerivedFrom"]["archiver:reader"] == "wallabag-json"
    [also] = node["archiver:alsoDerivedFrom"]
    assert (also["archiver:reader"], also["archiver:entryIndex"]) == ("pocket-csv", 0)
    assert also["archiver:dateSaved"] == "2024-05-02T08:53:20+00:00"
    assert all(check.ok for check in archiver.verify(out))

    list(archiver.export([ROOT / "examples" / "mhtml"], out, ExportSettings(formats=["warc"])))
    kept = json.loads((out / "manifest.json").read_text())["hasPart"][0]
    assert kept["archiver:alsoDerivedFrom"] == node["archiver:alsoDerivedFrom"]  # the package kept the merge
