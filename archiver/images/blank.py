"""Images that show nothing: what a lazy loader leaves in `src` until its script puts the real
picture there, and the spacers of old layouts.

Such an image is often the size of the photograph it stands for (an empty SVG with the photo's
viewBox), so embedding it prints a white box where the picture was. It is judged by its bytes,
not its name: an SVG that draws nothing, or a raster image of one pixel or all transparent.
"""

from __future__ import annotations

from lxml import etree

from ..model import Resource
from .check import open_image

# SVG elements that put something on the page; a placeholder holds none of them
_DRAWING = frozenset(
    "path rect circle ellipse line polyline polygon text image use foreignObject textPath tspan".split()
)
_TINY_FILE = 4096  # bytes: a raster placeholder is a few dozen; only such files are decoded to check


def is_blank(resource: Resource) -> bool:
    """Whether the embedded image shows nothing at all."""
    data = resource.data
    if data is None:
        return False
    if resource.media_type == "image/svg+xml":
        return not _draws(data)
    if len(data) > _TINY_FILE:
        return False
    try:
        with open_image(data) as image:
            if image.width * image.height <= 1:
                return True
            if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
                alpha = image.convert("RGBA").getchannel("A")
                return bool(alpha.getextrema()[1] == 0)
    except Exception:  # noqa: BLE001 - the image was checked when embedded; unreadable here is not blank
        return False
    return False


def _draws(data: bytes) -> bool:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return True  # not for this module to refuse
    return any(isinstance(e.tag, str) and etree.QName(e).localname in _DRAWING for e in root.iter())
