"""The article body as a reader reads it: formulas kept as text, and archiver's own notes (where
an image could not be kept) left out of the plain text. Pages written here."""

from __future__ import annotations

from pathlib import Path

from archiver import Article
from archiver.cli.report import plain_text
from tests.helpers import read_one

STORY = "<p>" + "The matrix is equal to its own conjugate transpose, as the text explains. " * 8 + "</p>"


def _page(folder: Path, inside: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "page.html"
    path.write_text(
        "<!DOCTYPE html><html><head><title>Matrices</title></head><body><article><h1>Matrices</h1>"
        f"{STORY}{inside}{STORY}</article></body></html>"
    )
    return path


def test_a_mathml_formula_is_kept_as_its_tex_or_its_tokens(tmp_path: Path) -> None:
    article = read_one(
        _page(
            tmp_path,
            '<p>Its entries satisfy <math alttext="a_{ij} = \\overline{a_{ji}}"><mi>a</mi></math>, and '
            "the trace is <math><mi>x</mi><mo>+</mo><mn>2</mn></math> here.</p>",
        )
    )
    text = plain_text(article.body)
    assert "Its entries satisfy a_{ij} = \\overline{a_{ji}}, and the trace is x + 2 here." in text
    assert article.body.count('<span class="math">') == 2


def test_a_formula_image_with_tex_alt_text_is_its_tex_and_the_visible_formula_has_no_twin(
    tmp_path: Path,
) -> None:
    article = read_one(
        _page(
            tmp_path,
            '<p>In matrix form: <span><img src="https://wikimedia.example/render/svg/1" '
            'alt="{\\displaystyle A=\\overline {A^{\\mathsf {T}}}}"></span>.</p>'
            '<p>Also <math alttext="{\\displaystyle B}"><mi>B</mi></math><img src="https://x.example/b.svg" '
            'alt="{\\displaystyle B}"> holds.</p>',
        )
    )
    text = plain_text(article.body)
    assert "In matrix form: A=\\overline {A^{\\mathsf {T}}}." in text
    assert "Also B holds." in text  # the formula once, not its fallback image as well
    assert [r.ref for r in article.resources] == []  # no remote formula images left to show


def test_the_plain_text_leaves_out_the_notes_for_images_not_kept(tmp_path: Path) -> None:
    article = read_one(
        _page(tmp_path, '<figure><img src="https://cdn.example/photo.jpg" alt="A press"></figure>')
    )
    assert isinstance(article, Article) and "missing-image" in article.body  # the note is in the book
    text = plain_text(article.body)
    assert "[Image" not in text and "cdn.example" not in text and "explains." in text


_WORDS = (
    "harbour ledger winter tide clerk lantern ferry granary almanac quay parish mill beacon cargo "
    "schooner archive census chapel orchard tannery"
).split()


def _story(number: int, words: int = 60) -> str:
    """A paragraph of its own words (a text repeated across a page reads as boilerplate)."""
    own = [_WORDS[(number * 7 + k * 3) % len(_WORDS)] for k in range(words)]
    return f"<p>Paragraph {number} tells how the {' '.join(own)}.</p>"


def test_the_article_is_the_page_element_that_holds_it_with_its_figure_table_and_code(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    related = "".join(
        f'<li><a href="/story/{n}">Another story number {n} worth reading</a></li>' for n in range(12)
    )
    page.write_text(
        "<!DOCTYPE html><html><head><title>Harbour records</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/sport'>Sport</a></nav>"
        "<div class='share'>Share on Facebook Share on Twitter Share by mail</div>"
        "<main><article><h1>Harbour records</h1>"
        + _story(1) + "<h2>The ledgers</h2>" + _story(2)
        + '<figure><img src="https://cdn.example/ledger.jpg" alt="A ledger"><figcaption>The 1902 ledger'
        "</figcaption></figure>" + _story(3)
        + "<table><tr><th>Year</th><th>Ships</th></tr><tr><td>1902</td><td>41</td></tr></table>"
        + "<pre><code>ledger = open('1902.txt')</code></pre>" + _story(4) + "</article></main>"
        "<aside><h3>Related</h3><ul>" + related + "</ul></aside>"
        "<div class='newsletter'>Subscribe to our newsletter for the best stories every morning</div>"
        "<section class='comments'><h3>3 comments</h3><p>First! Great story.</p></section>"
        "<footer>Copyright Harbour Gazette. All rights reserved. Imprint. Privacy.</footer></body></html>"
    )  # fmt: skip
    article = read_one(page)
    text = plain_text(article.body)
    for number in (1, 2, 3, 4):
        assert f"Paragraph {number} tells how" in text
    assert "The ledgers" in text and "The 1902 ledger" in text and "<table>" in article.body
    assert "<pre><code>ledger = open('1902.txt')</code></pre>" in article.body
    assert [r.ref for r in article.resources] == ["https://cdn.example/ledger.jpg"]
    for boilerplate in ("Share on Facebook", "Another story number", "Subscribe to our newsletter", "First!",
                        "Copyright Harbour Gazette", "Sport"):  # fmt: skip
        assert boilerplate not in text, boilerplate


def test_the_element_holding_the_text_goes_up_from_one_long_post_to_the_thread() -> None:
    """A forum thread: the first post's paragraphs are most of the text in blocks, the other posts
    are text in divs. The element that holds the article's text is the thread, not the first post."""
    from archiver.html.extract import _element_holding
    from archiver.html.prune import words
    from archiver.html.tree import parse_document

    replies = "".join(
        f"<div class='message'>{_story(n, 40)[3:-4]}<br>Thanks, member{n}</div>" for n in range(2, 6)
    )
    tree = parse_document(
        "<html><body><nav>Forums Members Search</nav><div id='thread'>"
        f"<div class='message' id='first'>{_story(1, 200)}{_story(6, 200)}</div>{replies}</div>"
        "<footer>Forum software by Example Ltd. Terms and rules. Privacy policy.</footer></body></html>"
    )
    thread = tree.get_element_by_id("thread")
    evidence = words(thread.text_content())  # what a text extractor found: the whole thread
    found = _element_holding(tree.find(".//body"), evidence)
    assert found is not None and found.get("id") == "thread"


def test_a_declared_utf8_page_with_a_stray_byte_is_read_as_utf8(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    body = "<p>" + "Schön winterlich ist es, und die Straße glänzt. " * 20 + "</p>"
    html = f'<html><head><meta charset="utf-8"><title>Winter</title></head><body>{body}</body></html>'
    page.write_bytes(html.encode("utf-8").replace(b"Stra\xc3\x9fe", b"Stra\xdfe", 1))  # one latin-1 byte
    article = read_one(page)
    assert "Schön winterlich ist es, und die Straße glänzt." in plain_text(article.body)
    assert any("a few bytes not UTF-8" in w for w in article.warnings)


def test_nested_header_and_footer_and_odd_datetimes_stay_valid_xhtml(tmp_path: Path) -> None:
    article = read_one(
        _page(
            tmp_path,
            "<header><p>The clerk wrote it <time datetime='gestern, 14 Uhr'>yesterday</time> and revised it "
            "<time datetime='2024-05-02T10:00:00+02:00'>today</time>.</p><footer>Both copies are kept in "
            "the harbour office.</footer></header>",
        )
    )
    assert "<footer>" not in article.body and "Both copies are kept in the harbour office." in article.body
    assert '<time datetime="2024-05-02T10:00:00+02:00">today</time>' in article.body
    assert "gestern" not in article.body


def test_a_page_that_starts_with_an_xml_declaration_is_read(tmp_path: Path) -> None:
    """XHTML saved as such: browsers open it; lxml refuses a decoded string that declares an
    encoding, so archiver used to refuse the page."""
    page = tmp_path / "page.xhtml"
    page.write_bytes(
        b'<?xml version="1.0" encoding="utf-8"?>\n'
        b'<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
        b'"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n'
        b'<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Declared</title></head><body>'
        + _story(1).encode()
        + _story(2).encode()
        + b"</body></html>"
    )
    article = read_one(page)
    assert article.title == "Declared" and "Paragraph 2 tells how" in plain_text(article.body)


def test_a_page_of_twenty_thousand_paragraphs_is_read_in_linear_time(tmp_path: Path) -> None:
    """A log or a book saved as one page: 7 s here, where appending each text after counting
    every sibling first took 28 s (and hours for ten times as much)."""
    import time

    page = tmp_path / "log.html"
    entries = "".join(
        f"<p>Entry {n}: the clerk writes down the hour, the wind and the sea.</p>" for n in range(20000)
    )
    page.write_text(
        f"<html><head><title>The log</title></head><body><article>{entries}</article></body></html>"
    )
    start = time.perf_counter()
    article = read_one(page)
    assert time.perf_counter() - start < 40  # loose: the machine may be busy; quadratic is minutes
    assert article.body.count("<p>") == 20000


def test_share_bars_related_posts_and_newsletter_boxes_inside_the_article_are_left_out(
    tmp_path: Path,
) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        "<!DOCTYPE html><html><head><title>Harbour records</title></head><body><main><article>"
        "<h1>Harbour records</h1>" + _story(1) + _story(2)
        + "<div class='related-story'><figure><img src='https://cdn.example/map.png' alt='The harbour map'>"
        "<figcaption>The harbour in 1902</figcaption></figure></div>" + _story(3)
        + "<div class='sharedaddy sd-sharing-enabled'><h3>Share this:</h3>"
        "<ul><li>Twitter</li><li>Facebook</li></ul></div>"
        "<div id='jp-relatedposts' class='jp-relatedposts'><h3>Related posts</h3>"
        "<p>Another story about ships and the sea at night</p></div>"
        "<section class='c-newsletter c-newsletter--promo'><h2>Keep up with the Harbour Daily newsletter</h2>"
        "</section></article></main></body></html>"
    )  # fmt: skip
    article = read_one(page)
    text = plain_text(article.body)
    assert all(f"Paragraph {n} tells how" in text for n in (1, 2, 3))
    assert "The harbour in 1902" in text  # a figure is kept, whatever its box is called
    assert [r.ref for r in article.resources] == ["https://cdn.example/map.png"]
    for boilerplate in (
        "Share this",
        "Related posts",
        "Another story about ships",
        "Harbour Daily newsletter",
    ):
        assert boilerplate not in text, boilerplate
