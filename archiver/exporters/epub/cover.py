"""The book's cover as a raster image: Kindle and Kobo libraries show a PNG or JPEG cover and
not an SVG one. Drawn with Pillow from the collection's facts (title, article count, date range,
outlets), the same pixels for the same collection; or the user's own image (--cover)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ...errors import ArchiverError
from ...images.check import check_image
from ...images.sniff import sniff_image
from .fonts import FOLDER as TEXT_FACE

SIZE = (1600, 2560)  # the proportions and size e-book stores ask for
FONTS = Path("/usr/share/fonts/truetype/dejavu")  # fonts-dejavu-core, installed with the PDF's fonts
PAPER, INK, RULE = (245, 241, 232), (34, 34, 34), (120, 110, 95)


def own_cover(path: Path) -> tuple[bytes, str]:
    """(bytes, media type) of the user's cover image, checked like any image archiver carries."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ArchiverError(f"cover {path}: {exc.strerror or exc}") from exc
    media_type = sniff_image(data)
    if media_type not in ("image/png", "image/jpeg"):
        raise ArchiverError(f"cover {path}: a PNG or JPEG image is needed, not {media_type or 'this file'}")
    check_image(data, media_type)
    return data, media_type


def draw_cover(title: str, lines: Sequence[str], outlets: Sequence[str]) -> bytes:
    """A PNG: the title large, then the count and date lines, then the outlets (cover_outlets).
    The PDF's first page is the same design in CSS (print.css, .title-page)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", SIZE, PAPER)
    draw = ImageDraw.Draw(image)
    width, height = SIZE
    draw.rectangle((80, 80, width - 80, height - 80), outline=RULE, width=6)
    heading = _font("DejaVuSerif-Bold.ttf", 120, TEXT_FACE / "CharisSIL-Bold.ttf")
    y = 560
    for line in _wrap(draw, title, heading, width - 320)[:6]:
        draw.text((width // 2, y), line, font=heading, fill=INK, anchor="ma")
        y += 150
    draw.line((width // 2 - 200, y + 40, width // 2 + 200, y + 40), fill=RULE, width=4)
    facts = _font("DejaVuSans.ttf", 64)
    y += 120
    for line in lines:
        draw.text((width // 2, y), line, font=facts, fill=INK, anchor="ma")
        y += 90
    small = _font("DejaVuSans.ttf", 48)
    y = height - 220 - 70 * len(outlets)
    for outlet in outlets:
        for line in _wrap(draw, outlet, small, width - 320)[:1]:
            draw.text((width // 2, y), line, font=small, fill=RULE, anchor="ma")
        y += 70
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _font(name: str, size: int, rather: Path | None = None) -> Any:
    """DejaVu's `name`, or the face `rather` when it is installed; Pillow's own without either."""
    from PIL import ImageFont

    for path in ([rather] if rather is not None else []) + [FONTS / name]:
        try:
            return ImageFont.truetype(str(path), size)
        except OSError:
            continue
    return ImageFont.load_default(size)


def _wrap(draw: Any, text: str, font: Any, width: int) -> list[str]:
    """Lines of whole words that fit `width` pixels; a word longer than that stands alone."""
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and draw.textlength(candidate, font=font) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines
