"""The exporters, in a literal registry: a module with NAME, SUFFIX, and
write(articles, dest, options) that writes one output file atomically. One that sets
OUTPUTS_IN_WORKERS has its outputs (one per article) written on worker processes, with options
that carry no callables."""

from __future__ import annotations

from types import ModuleType

from . import epub, pdf, wacz, warc
from .options import ExportOptions

EXPORTERS: tuple[ModuleType, ...] = (epub, pdf, warc, wacz)
BY_NAME = {exporter.NAME: exporter for exporter in EXPORTERS}

__all__ = ["BY_NAME", "EXPORTERS", "ExportOptions"]
