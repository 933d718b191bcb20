"""The exporters, in a literal registry of `Exporter` records (base.py), in the order outputs are
written. Each format's module is light: what makes the output loads when one is written."""

from __future__ import annotations

from . import epub, pdf, site, wacz, warc
from .base import Exporter, ExportOptions

# The site comes last: it links to the files written before it.
EXPORTERS: tuple[Exporter, ...] = (epub.EXPORTER, pdf.EXPORTER, warc.EXPORTER, wacz.EXPORTER, site.EXPORTER)
BY_NAME = {exporter.name: exporter for exporter in EXPORTERS}
BY_MEDIA_TYPE = {exporter.media_type: exporter for exporter in EXPORTERS}  # how a manifest names them

__all__ = ["BY_MEDIA_TYPE", "BY_NAME", "EXPORTERS", "ExportOptions", "Exporter"]
