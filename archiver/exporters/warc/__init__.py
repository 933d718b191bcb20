"""WARC 1.1 (ISO 28500) of saved articles: records.py writes it (warcio), loaded only when a
WARC is written or read."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..base import Exporter, ExportOptions, Report

if TYPE_CHECKING:
    from ...model import Article


def write(articles: Sequence[Article], dest: Path, options: ExportOptions) -> Report:
    from .records import write as write_warc

    return write_warc(articles, dest, options)


def provenance(data: bytes) -> list[dict[str, Any]]:
    """The provenance of every article: the WARC's metadata records."""
    import io
    import json

    from warcio.archiveiterator import ArchiveIterator

    return [
        json.loads(record.content_stream().read())
        for record in ArchiveIterator(io.BytesIO(data))
        if record.rec_type == "metadata"
    ]


EXPORTER = Exporter(
    name="warc",
    suffix=".warc.gz",
    media_type="application/warc",
    software=("warcio",),
    write=write,
    conforms_to=lambda options: (
        "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/"
    ),
    provenance=provenance,
)
