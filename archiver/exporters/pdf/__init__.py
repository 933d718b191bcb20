"""PDF for print and for the shelf (WeasyPrint): book.py lays out the collection, render.py renders
one part in whichever process runs it, cache.py keeps parts by content, bind.py binds them into
the book as stream.py writes it. Nothing heavy loads until a PDF is written or read."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...runtime.preload import WARM_PDF
from ..base import Exporter, ExportOptions, Report

if TYPE_CHECKING:
    from ...model import Article


def conforms_to(options: ExportOptions) -> str:
    """ISO 19005 for PDF/A, else the PDF standard itself."""
    variant = options.pdf_variant
    if variant and variant.startswith("pdf/a-"):
        return f"ISO 19005-{variant[6]} (PDF/A-{variant[6:].upper()})"
    return {"pdf/ua-1": "ISO 14289-1 (PDF/UA-1)", "pdf/ua-2": "ISO 14289-2 (PDF/UA-2)"}.get(
        variant or "", "ISO 32000-1 (PDF 1.7)"
    )


def write(articles: Sequence[Article], dest: Path, options: ExportOptions) -> Report:
    from .book import write as write_book

    return write_book(articles, dest, options)


def provenance(data: bytes) -> list[dict[str, Any]]:
    """The records of the provenance.json the PDF carries as an attachment."""
    import io
    import json

    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        records: list[dict[str, Any]] = json.loads(
            pdf.attachments["provenance.json"].get_file().read_bytes()
        )["articles"]
    return records


EXPORTER = Exporter(
    name="pdf",
    suffix=".pdf",
    media_type="application/pdf",
    software=("weasyprint", "pydyf", "pikepdf", "pillow"),
    write=write,
    conforms_to=conforms_to,
    provenance=provenance,
    in_workers=True,
    preload=(f"{__name__}.book", WARM_PDF),
)
