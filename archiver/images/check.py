"""Whether an image's bytes are whole and bounded enough to carry into every output.

A saved page's images come from anywhere: cut off mid-download, an HTML error page under a
.jpg name (caught earlier, by sniffing), or built to exhaust a reader: a tiny file that claims
billions of pixels, a GIF of thousands of frames. Every raster image is opened here, its size
checked before any pixel is decoded, then decoded once, so that no reading system meets it;
an SVG must be a plain drawing.
"""

from __future__ import annotations

import io
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ..errors import ArchiverError
from .svg import safe_svg

MAX_PIXELS = 64_000_000  # an 8000 x 8000 photograph; "decompression bombs" claim far more
MAX_FRAMES = 1000  # an animated GIF of a few hundred frames is common; thousands is an attack
# Pillow's strictness and Python's warning filters are settings of the whole process: threads
# (captures resolving images at once) must not set and restore them across each other's checks.
_SETTINGS = threading.RLock()


@contextmanager
def open_image(data: bytes) -> Iterator[Any]:
    """Pillow's image for these bytes, refusing (DecompressionBombWarning raised as an error)
    any that claims more than MAX_PIXELS before a pixel is decoded. Pillow's bound is a setting of
    the whole process, checked when an image is opened: it is set for the opening alone, and the
    caller's own bound is back before the image is used."""
    from PIL import Image

    with _SETTINGS:
        callers, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, MAX_PIXELS
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                image = Image.open(io.BytesIO(data))
        finally:
            Image.MAX_IMAGE_PIXELS = callers
    with image:
        yield image


def check_image(data: bytes, media_type: str) -> None:
    """ArchiverError saying what is wrong when the image cannot be carried safely."""
    if media_type == "image/svg+xml":
        safe_svg(data)  # an SVG that scripts or loads anything is refused here, before any output
        return
    from PIL import Image, ImageFile, UnidentifiedImageError

    # WeasyPrint's import makes Pillow load cut-off images for the whole process (a render
    # worker's, or a worker forked from a fork server that warmed WeasyPrint): here, never.
    with _SETTINGS:
        lenient, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
        try:
            with open_image(data) as image:
                width, height = image.size  # no more than MAX_PIXELS: open_image refused larger ones
                frames = getattr(image, "n_frames", 1) if getattr(image, "is_animated", False) else 1
                if frames > MAX_FRAMES:
                    raise ArchiverError(f"{frames} frames is more than the {MAX_FRAMES}-frame limit")
                if image.format == "JPEG":
                    image.draft(
                        image.mode, (max(1, width // 8), max(1, height // 8))
                    )  # decodes every block, faster
                image.load()
        except UnidentifiedImageError:
            return  # a format Pillow does not read (JPEG XL, HEIC): the exporters convert it or leave it out
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise ArchiverError(
                f"image refused: it claims more than {MAX_PIXELS // 10**6} megapixels (a decompression bomb)"
            ) from exc
        except (OSError, ValueError, SyntaxError, EOFError) as exc:
            raise ArchiverError(f"image is damaged or cut off ({exc})") from exc
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = lenient
