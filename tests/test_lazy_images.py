"""Lazy loaders' placeholders are never the picture: an empty SVG the photo's size, a transparent
pixel, beside the real address in data-lazy-src, data-src, data-srcset, data-original or a
<noscript> copy (the corpus's German listicle printed 25 blank boxes, two thirds of a page each).
The real picture is fetched with --fetch; without it the figure is the short note any image not
saved gets, with its caption, which the PDF's own layout shows: no figure taller than that."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from archiver.capture.fetcher import CapturingFetcher
from archiver.capture.session import CaptureSettings
from archiver.model import Article, ResourceStatus
from archiver.readers import ReadOptions, read_inputs
from tests.helpers import read_one
from tests.test_fetch import server  # noqa: F401 - the loopback image server fixture
from tests.test_pdf_layout import export_pdf
from tests.test_resources import saved_page
from tests.test_sanitize import PNG
from tests.validators import require

EMPTY_SVG = "data:image/svg+xml,%3Csvg%20xmlns='http://www.w3.org/2000/svg'%20viewBox='0%200%20749%20499'%3E%3C/svg%3E"
SIZE = 'width="749" height="499"'  # the photograph's: an empty SVG of that size is a blank box
PIXEL_GIF = "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7"


def _patterns(base: str) -> dict[str, str]:
    """Each lazy loader's markup, as pages write it, the real picture at `base`."""
    return {
        "lazy-src": f'<img src="{EMPTY_SVG}" {SIZE} alt="Actor one" data-lazy-src="{base}/one.png">',
        "data-src": f'<img src="{PIXEL_GIF}" {SIZE} alt="Actor two" data-src="{base}/two.png">',
        "data-srcset": (
            f'<img src="{PIXEL_GIF}" {SIZE} alt="Actor three" '
            f'data-srcset="{base}/three-small.png 320w, {base}/three.png 800w">'
        ),
        "data-original": f'<img src="{EMPTY_SVG}" {SIZE} alt="Actor four" data-original="{base}/four.png">',
        "noscript": (
            f'<img src="{EMPTY_SVG}" {SIZE} alt="Actor five" class="lazy">'
            f'<noscript><img src="{base}/five.png" alt="Actor five"></noscript>'
        ),
    }


def _listicle(folder: Path, base: str) -> Path:
    sections = "".join(
        f"<h2>{n}. {name}</h2><figure>{markup}<figcaption>Caption {name}</figcaption></figure>"
        f"<p>Paragraph after {name}: "
        + "the actor's career began on the stage and went on to film. " * 6
        + "</p>"
        for n, (name, markup) in enumerate(_patterns(base).items(), 1)
    )
    return saved_page(
        folder, "<p>" + "An introduction to a list of actors and their careers. " * 8 + "</p>" + sections
    )


WANTED = ["one.png", "two.png", "three.png", "four.png", "five.png"]


def test_without_fetch_each_placeholder_gives_way_to_the_real_address(tmp_path: Path) -> None:
    article = read_one(_listicle(tmp_path, "https://img.example"))
    assert [(r.status, r.ref.rsplit("/", 1)[-1]) for r in article.resources] == [
        (ResourceStatus.REMOTE, name) for name in WANTED
    ]
    assert "data:image" not in article.body and "<img" not in article.body
    assert article.body.count('class="missing-image"') == 5
    for name in _patterns(""):
        assert f"Caption {name}" in article.body


def test_with_fetch_the_real_picture_is_fetched(server: str, tmp_path: Path) -> None:  # noqa: F811
    fetcher = CapturingFetcher.cached(CaptureSettings(allow_private=True), tmp_path / "cache")
    [article] = [
        a
        for a in read_inputs([str(_listicle(tmp_path / "in", server))], ReadOptions(fetcher=fetcher))
        if isinstance(a, Article)
    ]
    assert [(r.status, r.ref.rsplit("/", 1)[-1], r.data) for r in article.resources] == [
        (ResourceStatus.EMBEDDED, name, PNG) for name in WANTED
    ]


@pytest.mark.pdf
def test_no_figure_on_the_pdf_page_is_taller_than_its_caption_and_note(tmp_path: Path) -> None:
    pdf = export_pdf(_listicle(tmp_path / "in", "https://img.example"), out=tmp_path / "out")
    layout = subprocess.run(
        [require("pdftotext"), "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    tops: dict[str, list[tuple[int, float, float]]] = {}  # word -> (page, top, bottom) of each
    for page_number, page in enumerate(re.findall(r"<page [^>]*>(.*?)</page>", layout, re.DOTALL)):
        for y0, y1, word in re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<', page):
            tops.setdefault(word, []).append((page_number, float(y0), float(y1)))
    assert not subprocess.run(
        [require("pdfimages"), "-list", str(pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]  # no picture drawn at all: neither a placeholder nor a blank box
    heights = []
    for n in range(1, len(_patterns("")) + 1):
        heading = next(t for t in tops[f"{n}."])  # the section's heading, then its figure
        after = next(t for t in tops["after"] if t[0] > heading[0] or t[1] > heading[1])  # "Paragraph after"
        if after[0] == heading[0]:
            heights.append(after[1] - heading[2])
    assert heights, "every figure broke across pages"
    # the heading's gap, the note's line, the caption's line, the paragraph's gap: well under 150 pt;
    # a 749 x 499 box scaled to the text's width would be about 330 pt
    assert max(heights) < 150, heights
