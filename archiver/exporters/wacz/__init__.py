"""WACZ 1.1.1 for replay in pywb or ReplayWeb.page: package.py writes it (the WARC, its CDXJ index
by cdxj-indexer, pages and a datapackage), loaded only when a WACZ is written."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import warc
from ..base import Exporter, ExportOptions, Report

if TYPE_CHECKING:
    from ...model import Article


def write(articles: Sequence[Article], dest: Path, options: ExportOptions) -> Report:
    from .package import write as write_wacz

    return write_wacz(articles, dest, options)


def provenance(data: bytes) -> list[dict[str, Any]]:
    """The provenance records of the WARCs inside (a package's series: several)."""
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as wacz:
        names = [n for n in wacz.namelist() if n.startswith("archive/") and n.endswith(".warc.gz")]
        return [record for name in names for record in warc.provenance(wacz.read(name))]


EXPORTER = Exporter(
    name="wacz",
    suffix=".wacz",
    media_type="application/wacz+zip",
    software=("warcio", "cdxj-indexer"),
    write=write,
    conforms_to=lambda options: "https://specs.webrecorder.net/wacz/1.1.1/",
    provenance=provenance,
)
