"""PDF layout safety: nothing runs off the page, images keep their shape, and right-to-left and
CJK text render with fonts that have the glyphs."""

from __future__ import annotations

import io
import logging
import re
import subprocess
import unicodedata
from email.message import EmailMessage
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from archiver.cli.app import app
from tests.validators import require

pytestmark = pytest.mark.pdf

runner = CliRunner()


def export_pdf(*inputs: Path, out: Path) -> Path:
    result = runner.invoke(app, ["export", *map(str, inputs), "--out", str(out), "--format", "pdf"])
    assert result.exit_code == 0, result.output
    [pdf] = out.glob("*.pdf")
    return pdf


def page_with(folder: Path, body: str, images: dict[str, bytes] | None = None) -> Path:
    """An article mailed as HTML (mail bodies are kept whole, so the layout is what is tested,
    not which part of a page the extractor keeps), its images as cid: parts."""
    folder.mkdir(parents=True, exist_ok=True)
    message = EmailMessage()
    message["Subject"], message["From"], message["Date"] = (
        "Layout",
        "a@example.org",
        "Mon, 1 Jan 2024 00:00:00 +0000",
    )
    message.set_content("text version")
    message.add_alternative(f"<html lang='en'><body>{body}</body></html>", subtype="html")
    html_part = message.get_payload()[1]  # type: ignore[index]
    for cid, data in (images or {}).items():
        html_part.add_related(data, "image", "png", cid=f"<{cid}>")
    page = folder / "page.eml"
    page.write_bytes(bytes(message))
    return page


def words_outside_the_page(pdf: Path) -> list[str]:
    """Every word whose box leaves its page, by poppler's own layout of the PDF."""
    html = subprocess.run(
        [require("pdftotext"), "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    outside = []
    for page in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', html, re.DOTALL):
        width, height = float(page[1]), float(page[2])
        for word in re.finditer(
            r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">([^<]*)', page[3]
        ):
            x0, y0, x1, y1 = map(float, word.groups()[:4])
            if x0 < 0 or y0 < 0 or x1 > width + 0.5 or y1 > height + 0.5:
                outside.append(word[5])
    return outside


def test_wide_tables_and_long_lines_stay_on_the_page(tmp_path: Path) -> None:
    cells = "".join(f"<td>column{i}-SupercalifragilisticexpialidociousWord</td>" for i in range(30))
    long_line = "x = " + "+".join(f"value_{i}" for i in range(200))
    page = page_with(
        tmp_path / "in",
        "<p>" + "A paragraph of the article. " * 20 + "</p>"
        f"<table><tr>{cells}</tr><tr>{cells}</tr></table><pre><code>{long_line}</code></pre>"
        "<p>https://example.org/" + "averyveryverylongpathsegment" * 10 + "</p>",
    )
    pdf = export_pdf(page, out=tmp_path / "out")
    text = subprocess.run(
        [require("pdftotext"), str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    joined = "".join(text.split())
    assert "value_199" in joined  # the long line wrapped, not cut
    assert "value_1\u2010" not in joined  # code is never hyphenated
    assert words_outside_the_page(pdf) == []


def test_huge_images_scale_down_and_keep_their_shape(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (4000, 500), (30, 90, 160)).save(buffer, "PNG")
    page = page_with(
        tmp_path / "in",
        "<p>" + "A paragraph of the article. " * 20 + "</p>"
        '<figure><img src="cid:wide@x" width="4000" height="500" alt="wide"></figure>',
        {"wide@x": buffer.getvalue()},
    )
    pdf = export_pdf(page, out=tmp_path / "out")
    listing = subprocess.run(
        [require("pdfimages"), "-list", str(pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    [row] = [line.split() for line in listing if line.split()[3:5] == ["4000", "500"]]
    x_ppi, y_ppi = float(row[12]), float(row[13])
    assert abs(x_ppi - y_ppi) / y_ppi < 0.01  # same scale both ways: the aspect ratio is kept
    assert 4000 / x_ppi * 72 <= 595.3 - 2 * 18 * 72 / 25.4 + 1  # drawn no wider than the A4 text block
    subprocess.run(
        [require("pdftoppm"), "-r", "20", "-gray", "-f", "2", "-l", "2", str(pdf), str(tmp_path / "p")],
        check=True,
    )
    [rendered] = tmp_path.glob("p*.pgm")
    with Image.open(rendered) as image:
        pixels = image.load()
        right_margin_ink = sum(
            1 for y in range(image.height) for x in range(image.width - 4, image.width) if pixels[x, y] < 200
        )  # type: ignore[index]
    assert right_margin_ink == 0


@pytest.mark.parametrize(
    "relative, sample",
    [
        ("readability/youth/source.html", "海外留学生看两会"),
        ("readability/hukumusume/source.html", "欲張りなイヌ"),
    ],
)
def test_cjk_pages_have_their_glyphs(
    corpus: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture, relative: str, sample: str
) -> None:
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf = export_pdf(corpus / relative, out=tmp_path)
    missing = [
        r.getMessage()
        for r in caplog.records
        if ".notdef" in r.getMessage() and re.search(r"U\+(?:[3-9A-F][0-9A-F]{3})\)", r.getMessage())
    ]
    assert missing == []
    fonts = subprocess.run([require("pdffonts"), str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "CJK" in fonts
    text = subprocess.run(
        [require("pdftotext"), str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert sample in text.replace(" ", "")


def test_right_to_left_text_has_its_glyphs(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    arabic = "هذه مقالة محفوظة عن الأرشيف الرقمي والمكتبات العامة في المدينة."
    hebrew = "זהו מאמר שמור על ארכיון דיגיטלי וספריות ציבוריות בעיר."
    page = page_with(
        tmp_path / "in",
        "<p>" + "English opening of the article. " * 10 + "</p>"
        f'<p dir="rtl" lang="ar">{arabic * 4}</p><p dir="rtl" lang="he">{hebrew * 4}</p>',
    )
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf = export_pdf(page, out=tmp_path / "out")
    assert [r.getMessage() for r in caplog.records if ".notdef" in r.getMessage()] == []
    text = subprocess.run(
        [require("pdftotext"), str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    letters = unicodedata.normalize(
        "NFKC", re.sub("[\u200e\u200f\u202a-\u202e]", "", text)
    )  # shaped forms, bidi marks
    assert "ארכיון" in letters and "الرقمي" in letters and "والمكتبات" in letters
    assert words_outside_the_page(pdf) == []
