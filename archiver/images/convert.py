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
