"""The archive as a web page: site/index.html, a page per article, their images, opened from the
disk (file://) with nothing from outside. pages.py makes it, loaded only when a site is written."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..base import Exporter, ExportOptions, Report

if TYPE_CHECKING:
    from ...model import Article


def write(articles: Sequence[Article], dest: Path, options: ExportOptions) -> Report:
    from .pages import write as write_site

    return write_site(articles, dest, options)


def provenance(data: bytes) -> list[dict[str, Any]]:
    """The records of the site's provenance.json (`verify` reads that file of the folder)."""
    records: list[dict[str, Any]] = json.loads(data)["articles"]
    return records


EXPORTER = Exporter(
    name="html",
    suffix="",
    media_type="text/html",
    software=("lxml", "pillow"),
    write=write,
    conforms_to=lambda options: "https://html.spec.whatwg.org/multipage/",
    provenance=provenance,
    folder="site",
)
