"""The metadata cascade on pages written here, one for each kind of miss found on real pages:
the site's name taken for the title or the author, a first name alone, authors past the first,
the crawler's address over the canonical one, and a date a meta tag or a modified date gets wrong."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

from archiver.model import Article
from tests.helpers import read_one


def page(tmp_path: Path, head: str, body: str, name: str = "page.html") -> Article:
    path = tmp_path / name
    path.write_text(
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>{head}</head><body>{body}"
        "<article><p>" + "The harbour master kept the ledger open all night long. " * 20 + "</p></article>"
        "</body></html>",
        encoding="utf-8",
    )
    return read_one(path)


def ld(data: dict) -> str:  # type: ignore[type-arg]
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def test_a_json_ld_name_that_is_the_publisher_is_not_the_title(tmp_path: Path) -> None:
    node = {
        "@type": "NewsArticle",
        "headline": "Tides rise early",
        "name": "Harbour News",
        "publisher": {"@type": "Organization", "name": "Harbour News"},
    }
    assert page(tmp_path, ld(node), "<h1>Tides rise early</h1>").title == "Tides rise early"


def test_the_title_piece_the_page_shows_as_its_heading_is_the_headline(tmp_path: Path) -> None:
    head = "<title>Harbour Club Regensburg - Tides rise early - Club Press - News</title>"
    assert page(tmp_path, head, "<h2>Tides rise early</h2>").title == "Tides rise early"


def test_a_first_name_alone_takes_the_surname_its_biography_opens_with(tmp_path: Path) -> None:
    person = {
        "@type": "Person",
        "@id": "#nils",
        "name": "Nils",
        "description": "Nils Pickert ist freier Autor und Journalist.",
    }
    node = {"@graph": [{"@type": "Article", "headline": "Tides", "author": {"@id": "#nils"}}, person]}
    assert page(tmp_path, ld(node), "<h1>Tides</h1>").authors == ("Nils Pickert",)


def test_every_author_of_a_list_is_kept(tmp_path: Path) -> None:
    creators = (
        '<meta name="DC.Creator" content="Kooman, F."><meta name="DC.Creator" content="Jong, Michiel de">'
    )
    assert page(tmp_path, creators, "<h1>Remote storage</h1>").authors == ("Kooman, F.", "Jong, Michiel de")
    byline = '<meta name="author" content="Ann Lee, PhD; Bo Chan, PhD; Cy Diaz, PhD">'
    assert page(tmp_path, byline, "<h1>Tides</h1>", "b.html").authors == ("Ann Lee", "Bo Chan", "Cy Diaz")


def test_the_site_named_as_author_gives_way_to_the_byline(tmp_path: Path) -> None:
    head = '<meta name="author" content="Interscenario"><link rel="canonical" href="https://www.interscenar.io/a">'
    byline = '<h1>Tides</h1><p>Author: <a href="/autoren-und-redaktion/gabor-munier">Gàbor Muniér</a></p>'
    assert page(tmp_path, head, byline).authors == ("Gàbor Muniér",)
    assert (
        page(tmp_path, '<meta name="author" content="harbournews.de">', "<h1>T</h1>", "c.html").authors == ()
    )


def test_a_reader_comment_is_not_the_byline(tmp_path: Path) -> None:
    comments = (
        '<h1>Tides</h1><ol class="comments"><li><span class="comment-author">Jules</span> says</li></ol>'
    )
    assert "Jules" not in page(tmp_path, "", comments).authors


def test_an_author_link_with_a_name_part_gives_the_name_once(tmp_path: Path) -> None:
    byline = (
        '<h1>Tides</h1><a href="https://example.org/autoren/kathrin-fuehres-684124">'
        '<span class="copyright">© Kathrin Führes</span><span itemprop="name"> Kathrin\n Führes </span></a>'
    )
    assert page(tmp_path, "", byline).authors == ("Kathrin Führes",)


def test_the_canonical_address_wins_over_the_address_a_crawler_used(tmp_path: Path) -> None:
    head = (
        ld({"@type": "Article", "headline": "Tides", "url": "https://mirror.example.net/abs/2024/tides"})
        + '<link rel="canonical" href="https://news.example.org/2024/tides">'
        '<meta property="og:url" content="https://news.example.org/uk/2024/tides?utm_source=x">'
        '<meta name="twitter:url" content="https://news.example.org/2024/tides/">'
    )
    article = page(tmp_path, head, "<h1>Tides</h1>")
    assert article.url == "https://news.example.org/2024/tides"
    # the origin says what else the page claimed (the same address with a slash is no claim)
    assert article.source.origins["url"] == (
        "link:canonical (over json-ld:article.url gave https://mirror.example.net/abs/2024/tides; "
        "meta:og:url gave https://news.example.org/uk/2024/tides?utm_source=x)"
    )


def test_the_published_date_wins_over_the_modified_date_in_the_page_time_zone(tmp_path: Path) -> None:
    node = {
        "@type": "NewsArticle",
        "headline": "Tides",
        "datePublished": "2024-03-21T23:30:00-05:00",
        "dateModified": "2024-03-23T08:00:00-05:00",
    }
    published = page(tmp_path, ld(node), "<h1>Tides</h1><p>Updated March 23, 2024</p>").published
    assert isinstance(published, datetime) and published.isoformat() == "2024-03-21T23:30:00-05:00"


def test_a_meta_date_the_article_header_contradicts_gives_way_to_the_header(tmp_path: Path) -> None:
    head = '<meta property="article:published_time" content="Di., 25.01.2022 - 14:45">'
    header = "<h1>Tides</h1><p>by Ann Lee</p><p>am Mittwoch, 26.01.2022 - 14:30</p>"
    article = page(tmp_path, head, header)
    assert article.published == date(2022, 1, 26)
    assert article.source.origins["published"] == "page:date under the headline"
