"""SVG images that are safe to carry: no scripts, no event handlers, no external references."""

from __future__ import annotations

from lxml import etree

from ..errors import ArchiverError

_FORBIDDEN = {"script", "foreignObject", "iframe", "object", "embed", "handler", "listener"}
_ANIMATION = {"set", "animate"}  # these may set an href (to javascript:) after any check of it
_LINK_ATTRS = ("{http://www.w3.org/1999/xlink}href", "href", "src")
_RASTER_DATA = (
    "data:image/png",
    "data:image/jpeg",
    "data:image/gif",
    "data:image/webp",
)  # never a nested SVG


def safe_svg(data: bytes) -> bytes:
    """The SVG re-serialized when it is a plain drawing; ArchiverError when it scripts or
    reaches outside itself (an image that did would run code or fetch things in a reader)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ArchiverError(f"SVG is not well-formed XML ({exc})") from exc
    if etree.QName(root).localname != "svg":
        raise ArchiverError("not an SVG document")
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if etree.QName(element).localname in _FORBIDDEN:
            raise ArchiverError(f"SVG contains <{etree.QName(element).localname}>")
        if (
            etree.QName(element).localname in _ANIMATION
            and "href" in element.get("attributeName", "").lower()
        ):
            raise ArchiverError("SVG animates a link")
        for name, value in element.attrib.items():
            if etree.QName(name).localname.lower().startswith("on"):
                raise ArchiverError("SVG contains an event handler")
            if name in _LINK_ATTRS and not value.strip().startswith(("#", *_RASTER_DATA)):
                raise ArchiverError("SVG refers to an outside resource")
            if "url(" in value and "url(#" not in value.replace(" ", ""):
                raise ArchiverError("SVG refers to an outside resource in a style")
        if (
            etree.QName(element).localname == "style"
            and element.text
            and ("@import" in element.text or "url(" in element.text)
        ):
            raise ArchiverError("SVG style refers to outside resources")
    return bytes(etree.tostring(root, encoding="utf-8", xml_declaration=True))
