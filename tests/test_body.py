"""The article body as a reader reads it: formulas kept as text, and archiver's own notes (where
an image could not be kept) left out of the plain text. Pages written here."""

from __future__ import annotations

from pathlib import Path

from archiver import Article
from archiver.report import plain_text
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
