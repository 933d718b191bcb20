"""The images of a collection as an output stores them: each once, by content, in a format
every reader of that output supports, and never an SVG that scripts or reaches outside itself."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import ArchiverError
from ..model import Article, ResourceStatus
from .convert import convert_to_png, within
from .svg import safe_svg

# EPUB 3.3's core image media types; WeasyPrint renders the same set.
CORE_IMAGES = ("image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml")


@dataclass(frozen=True)
class OutputImage:
    href: str  # images/<content hash>.<ext>
    media_type: str
    data: bytes


def collect_images(
    articles: Sequence[Article], max_side: int = 0
) -> tuple[dict[str, OutputImage], list[str]]:
    """Every embedded image once, by content, in a core media type; with `max_side`, raster
    images scaled down to fit it."""
    images: dict[str, OutputImage] = {}
    failed: set[str] = set()
    warnings: list[str] = []
    for article in articles:
        for resource in article.resources:
            name = resource.name
            if resource.status is not ResourceStatus.EMBEDDED or not name or name in images or name in failed:
                continue
            data, media_type = resource.data or b"", resource.media_type or ""
            try:
                if media_type == "image/svg+xml":
                    data = safe_svg(data)
                elif media_type not in CORE_IMAGES:
                    data, media_type = convert_to_png(data), "image/png"
                if max_side:
                    data = within(data, media_type, max_side)
            except ArchiverError as exc:
                failed.add(name)
                warnings.append(f"{article.source.path}: image {resource.ref[:60]} left out: {exc}")
                continue
            stem = name.rsplit(".", 1)[0]
            suffix = (
                ".png"
                if media_type == "image/png" and not name.endswith(".png")
                else "." + name.rsplit(".", 1)[1]
            )
            images[name] = OutputImage(f"images/{stem}{suffix}", media_type, data)
    return images, warnings
