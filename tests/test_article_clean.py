"""The article and nothing else: each kind of page chrome that real news pages put inside the
element holding the article goes, each kind of the article's own markup stays. Pages written
here, in the shapes found on ../shared/bodies (named in each case), never their class names."""

from __future__ import annotations

from pathlib import Path

import pytest

from archiver.cli.report import plain_text
from tests.helpers import read_one

STORY = [
    "The harbour commission met on Tuesday evening to decide the future of the old grain quay, "
    "which has stood empty since the last mill closed in the spring of 1998.",
    "Residents packed the hall long before the doors opened, and many of them carried photographs "
    "of the quay in its busiest years, when barges queued along the river for a berth.",
    "The commission's engineer told the meeting that the timber piles beneath the quay had rotted "
    "further than anyone expected, and that a full repair would cost more than a new structure.",
    "Several fishermen argued that the quay should be kept as a working berth, because the nearest "
    "alternative lies eleven miles downstream and is often closed by silt in late summer.",
    "A proposal to turn the warehouse behind the quay into a library and a market hall drew the "
    "loudest applause of the night, though nobody could yet say who would pay for it.",
    "The commission will publish the engineer's full survey next month and has promised a second "
    "public meeting before any decision about demolition is taken.",
]


def _paragraphs(texts: list[str]) -> str:
    return "".join(f"<p>{text}</p>" for text in texts)


def _page(folder: Path, article: str, around: str = "", head: str = "") -> Path:
    """A publisher's page: site navigation, the article in its container, a footer."""
    folder.mkdir(parents=True, exist_ok=True)
    page = folder / "page.html"
    page.write_text(
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>The quay | Harbour Gazette</title>"
        "<meta property='og:site_name' content='Harbour Gazette'>"
        "<meta name='author' content='Mary Quayle'>"
        f"{head}</head><body><header><a href='/'>Harbour Gazette</a></header>"
        f"<main><div class='wrap'>{around}<article><h1>The quay</h1>{article}</article></div></main>"
        "<footer>Copyright Harbour Gazette. Imprint. Privacy. Terms.</footer></body></html>",
        encoding="utf-8",
    )
    return page


def _assert_story_whole(text: str) -> None:
    for paragraph in STORY:
        assert paragraph in text, paragraph[:40]


MENU = "".join(
    f"<li><a href='/{slug}'>{name}</a></li>"
    for slug, name in [
        ("info", "Acesso à Informação"),
        ("protocol", "Protocolo"),
        ("ombudsman", "Ouvidoria"),
        ("city", "A Cidade"),
        ("councils", "Conselhos"),
        ("services", "Serviços"),
        ("news", "Notícias"),
        ("contact", "Contato"),
    ]
)

CHROME = {
    # a city portal whose main container holds the whole menu (bodies: 90% of its text)
    "navigation": (
        "<nav><button>MENU</button><ul>" + MENU + "</ul></nav>",
        "before",
        ["Protocolo", "Ouvidoria", "MENU"],
    ),
    # a byline grown into a biography (bodies: WSJ)
    "biography": (
        "<div class='byline'><p>By</p><p>Mary Quayle</p><div><p>Mary Quayle</p><p>Biography</p>"
        "<p><a href='https://social.example/mquayle'>@mquayle</a></p>"
        "<p><a href='mailto:mary.quayle@gazette.example'>mary.quayle@gazette.example</a></p></div></div>",
        "top",
        ["Biography", "@mquayle", "mary.quayle@gazette.example"],
    ),
    # a paywall's prompts at the end of the text (bodies: WSJ)
    "subscription": (
        "<div><h3>To Read the Full Story</h3><p><a href='/subscribe'>Subscribe</a></p>"
        "<p><a href='/login'>Sign In</a></p></div>",
        "bottom",
        ["To Read the Full Story", "Subscribe", "Sign In"],
    ),
    # popular and recommended lists inside the article's container (bodies: Fox, CBS)
    "popular": (
        "<section><h2>Most Popular</h2><ul>"
        + "".join(
            f"<li><a href='/story/{n}'>Council votes to close the ferry crossing number {n}</a></li>"
            for n in range(5)
        )
        + "</ul><h2>Most Popular Videos</h2><ul>"
        + "".join(
            f"<li><a href='/video/{n}'>Watch the storm hit the pier, part {n}</a></li>" for n in range(4)
        )
        + "</ul><h3>Recommended</h3><ul>"
        + "".join(
            f"<li><a href='/rec/{n}'>Ten walks along the estuary you must try {n}</a></li>" for n in range(4)
        )
        + "</ul></section>",
        "bottom",
        ["Most Popular", "ferry crossing number", "Watch the storm", "Recommended", "Ten walks"],
    ),
    # a slideshow's buttons and counters, each caption twice: thumbnail and enlarged view
    "gallery": (
        "<div class='slideshow'><div><span>Image</span><span>1 / 8</span></div>"
        "<figure><img src='https://cdn.example/quay1.jpg' alt=''><figcaption>The quay in 1952, "
        "crowded with barges waiting for the mill.</figcaption></figure>"
        "<div><button>Caption</button><button>Close</button></div>"
        "<div class='enlarged'><img src='https://cdn.example/quay1-large.jpg' alt=''><p>The quay in 1952, "
        "crowded with barges waiting for the mill.</p></div></div>",
        "middle",
        ["Image", "1 / 8", "Caption", "Close"],
    ),
    # section labels and a kicker above the headline (bodies: WSJ, "Tech", "Personal Technology: Review")
    "kicker": (
        "<div><a href='/tech'>Tech</a></div><div>Personal Technology: Review</div>",
        "top",
        ["Tech", "Personal Technology: Review"],
    ),
    # a table of contents widget's label and button (bodies: a German listicle)
    "widget": (
        "<div class='toc'><p>Inhaltsverzeichnis</p><span>Toggle</span></div>",
        "top",
        ["Inhaltsverzeichnis", "Toggle"],
    ),
}


@pytest.mark.parametrize("kind", sorted(CHROME))
def test_page_chrome_inside_the_articles_element_goes(kind: str, tmp_path: Path) -> None:
    chrome, where, words = CHROME[kind]
    if where == "before":
        page = _page(tmp_path, _paragraphs(STORY), around=chrome)
    elif where == "top":
        page = _page(tmp_path, chrome + _paragraphs(STORY))
    elif where == "middle":
        page = _page(tmp_path, _paragraphs(STORY[:3]) + chrome + _paragraphs(STORY[3:]))
    else:
        page = _page(tmp_path, _paragraphs(STORY) + chrome)
    text = plain_text(read_one(page).body)
    _assert_story_whole(text)
    assert [word for word in words if f"\n{word}\n" in f"\n{text}\n" or word in text.split("\n")] == []
    for word in words:
        assert word not in text, word


def test_a_repeated_caption_is_kept_once(tmp_path: Path) -> None:
    chrome, _, _ = CHROME["gallery"]
    page = _page(tmp_path, _paragraphs(STORY[:3]) + chrome + _paragraphs(STORY[3:]))
    text = plain_text(read_one(page).body)
    assert text.count("The quay in 1952, crowded with barges waiting for the mill.") == 1


MARKUP = {
    "figure": (
        "<figure><img src='https://cdn.example/engineer.jpg' alt='The survey'><figcaption>The engineer's "
        "survey of the rotten piles.</figcaption></figure>",
        ["<figure", "The engineer's survey of the rotten piles."],
    ),
    "table": (
        "<table><caption>Repair or rebuild</caption><tr><th>Option</th><th>Cost</th></tr>"
        "<tr><td>Repair</td><td>4.1 million</td></tr><tr><td>Rebuild</td><td>3.6 million</td></tr></table>",
        ["<table>", "<td>Repair</td>", "<td>3.6 million</td>", "Repair or rebuild"],
    ),
    "list": (
        "<ul><li>Keep the berth</li><li>Build a library</li><li>Open a market hall</li></ul>",
        ["<li>Keep the berth</li>", "<li>Open a market hall</li>"],
    ),
    "code": (
        "<pre><code>survey = load('piles-2024.csv')\nrotten = survey[survey.decay &gt; 0.4]</code></pre>",
        ["<pre><code>survey = load('piles-2024.csv')"],
    ),
    "formula": (
        "<p>The load on each pile is <math alttext='F = m g'><mi>F</mi><mo>=</mo><mi>m</mi><mi>g</mi></math>"
        " in tonnes.</p>",
        ['<span class="math">F = m g</span>'],
    ),
    "heading": ("<h2>What the engineer found</h2>", ["<h2>What the engineer found</h2>"]),
}


@pytest.mark.parametrize("kind", sorted(MARKUP))
def test_the_articles_own_markup_stays(kind: str, tmp_path: Path) -> None:
    markup, shown = MARKUP[kind]
    page = _page(tmp_path, _paragraphs(STORY[:3]) + markup + _paragraphs(STORY[3:]))
    article = read_one(page)
    _assert_story_whole(plain_text(article.body))
    for piece in shown:
        assert piece in article.body, piece


def test_the_articles_markup_stays_when_it_opens_or_closes_the_article(tmp_path: Path) -> None:
    """A lead picture above the first paragraph, a table as the last block."""
    figure, _ = MARKUP["figure"]
    table, _ = MARKUP["table"]
    article = read_one(_page(tmp_path, figure + _paragraphs(STORY) + table))
    assert "The engineer's survey of the rotten piles." in article.body and "<td>Rebuild</td>" in article.body
