"""Rendered articles kept by content hash, so that a rebuild renders only what changed.

A key covers everything that shapes the rendering (archiver and WeasyPrint versions, the HTML,
stylesheets, images, PDF variant); a different input can never be served a stale result.
"""

from __future__ import annotations

import json
from pathlib import Path

from .atomic import write_atomic
from .pdf_render import Rendered


class RenderCache:
    def __init__(self, folder: Path | None) -> None:
        self.folder = folder  # None: remember nothing

    def get(self, key: str) -> Rendered | None:
        if self.folder is None:
            return None
        pdf, info = self._paths(key)
        try:
            facts = json.loads(info.read_text(encoding="utf-8"))
            data = pdf.read_bytes()
        except (OSError, ValueError):
            return None
        if len(data) != facts.get("size"):  # a torn or foreign file is not a hit
            return None
        return Rendered(data, int(facts["pages"]), tuple(facts.get("warnings", ())))

    def put(self, key: str, rendered: Rendered) -> None:
        if self.folder is None:
            return
        pdf, info = self._paths(key)
        try:
            pdf.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(pdf, rendered.pdf)
            facts = {"size": len(rendered.pdf), "pages": rendered.pages, "warnings": list(rendered.warnings)}
            write_atomic(info, json.dumps(facts).encode())
        except OSError:
            pass  # a cache that cannot be written only costs time

    def _paths(self, key: str) -> tuple[Path, Path]:
        assert self.folder is not None
        folder = self.folder / key[:2]
        return folder / f"{key}.pdf", folder / f"{key}.json"
