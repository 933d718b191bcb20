"""A collection shared out into EPUB volumes of at most --max-size bytes: Send-to-Kindle takes
books of up to 50 MB by mail and 200 MB on the web, and reading systems page slowly through huge
ones. Volumes are filled in the book's order from each article's estimated share of the file,
estimated high, so that a volume comes out under the bound; the writer checks the real size."""

from __future__ import annotations

import io
from collections.abc import Sequence

from ...model import Article
from ..base import ExportOptions

EVERY_VOLUME = (
    200_000  # a drawn cover (30-60 kB), title page, navigation, stylesheet; one's own cover adds its size
)
ARTICLE_FRAME = 4_000  # the article's header, its document's head, its entries in OPF, NCX and nav
TEXT_PACKING = 2  # XHTML deflates 3-5 times; counting it as 2 keeps the estimate high


def volumes(articles: Sequence[Article], options: ExportOptions) -> list[list[Article]]:
    own_cover = options.cover.stat().st_size if options.cover is not None and options.cover.is_file() else 0
    budget = max(options.max_size - EVERY_VOLUME - own_cover, 1)
    shared: list[list[Article]] = [[]]
    filled = 0
    seen: set[str] = set()  # an image is stored once per volume, however many articles show it
    for article in articles:
        weight = _weight(article, options.image_max, seen)
        if shared[-1] and filled + weight > budget:
            shared.append([])
            filled, seen = 0, set()
            weight = _weight(article, options.image_max, seen)
        shared[-1].append(article)
        filled += weight
    return shared


def _weight(article: Article, image_max: int, seen: set[str]) -> int:
    images = 0
    for resource in article.embedded:
        if resource.sha256 in seen or resource.data is None:
            continue
        seen.add(resource.sha256 or "")
        images += _scaled_size(resource.data, image_max)
    return ARTICLE_FRAME + len(article.body.encode("utf-8")) // TEXT_PACKING + images


def _scaled_size(data: bytes, image_max: int) -> int:
    """Bytes of an image after --image-max scales it: in proportion to its pixels (reading only
    its header), never more than as saved."""
    if not image_max:
        return len(data)
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            longest = max(image.size)
    except (OSError, ValueError, Image.DecompressionBombError, SyntaxError):
        return len(data)
    return len(data) if longest <= image_max else int(len(data) * (image_max / longest) ** 2) + 4096
