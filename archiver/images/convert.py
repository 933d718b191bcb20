"""Images in the formats a reading system must support, converted with Pillow when they are not."""

from __future__ import annotations

import io

from ..errors import ArchiverError
from .check import open_image
from .sniff import sniff_image


def convert_to_png(data: bytes) -> bytes:
    """PNG bytes for an image in a format the output cannot carry (AVIF, TIFF, BMP, ICO, ...)."""
    from PIL import Image

    try:
        with open_image(data) as image:
            image.seek(0)
            frame = image.convert("RGBA" if image.mode in ("RGBA", "LA", "P", "PA") else "RGB")
            out = io.BytesIO()
            frame.save(out, format="PNG", optimize=False)
    except (
        OSError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        SyntaxError,
    ) as exc:
        raise ArchiverError(f"image could not be converted ({type(exc).__name__}: {exc})") from exc
    png = out.getvalue()
    if sniff_image(png) != "image/png":
        raise ArchiverError("image conversion produced no PNG")
    return png


def within(data: bytes, media_type: str, max_side: int) -> bytes:
    """The image scaled down so that neither side exceeds `max_side` pixels, in its own format
    (e-readers choke on 6000-pixel photos and Send-to-Kindle refuses large books); the bytes
    unchanged when they fit already, or are not a still PNG, JPEG or WebP."""
    from PIL import Image

    formats = {"image/png": "PNG", "image/jpeg": "JPEG", "image/webp": "WEBP"}
    if media_type not in formats:
        return data  # SVG scales by itself; a GIF may be animated
    try:
        with open_image(data) as image:
            if max(image.size) <= max_side or getattr(image, "n_frames", 1) > 1:
                return data
            image.load()
            scaled = image.copy()
            scaled.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
            if media_type == "image/jpeg" and scaled.mode not in ("RGB", "L", "CMYK"):
                scaled = scaled.convert("RGB")
            out = io.BytesIO()
            kind = formats[media_type]
            scaled.save(out, format=kind, optimize=True, **({} if kind == "PNG" else {"quality": 85}))
    except (OSError, ValueError, Image.DecompressionBombError, Image.DecompressionBombWarning, SyntaxError):
        return data  # the image as it is: collect_images has checked it opens
    return out.getvalue()
