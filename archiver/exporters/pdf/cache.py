"""Rendered articles kept by content hash, so that a rebuild renders only what changed.

A key covers everything that shapes the rendering (archiver and WeasyPrint versions, the HTML,
stylesheets, images, PDF variant); a different input can never be served a stale result.
Renderings stay on disk, where the binder reads them one at a time: 10,000 articles' PDFs are
hundreds of MB, which no process needs to hold.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ...atomic import write_atomic
from .render import Rendered


@dataclass(frozen=True)
class Stored:
    path: Path
    pages: int
    warnings: tuple[str, ...] = field(default=())


class RenderCache:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def get(self, key: str) -> Stored | None:
        pdf, info = self._paths(key)
        try:
            facts = json.loads(info.read_text(encoding="utf-8"))
            size = pdf.stat().st_size
        except (OSError, ValueError):
            return None
        if size != facts.get("size"):  # a torn or foreign file is not a hit
            return None
        return Stored(pdf, int(facts["pages"]), tuple(facts.get("warnings", ())))

    def put(self, key: str, rendered: Rendered) -> Stored:
        pdf, info = self._paths(key)
        pdf.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(pdf, rendered.pdf)
        facts = {"size": len(rendered.pdf), "pages": rendered.pages, "warnings": list(rendered.warnings)}
        write_atomic(info, json.dumps(facts).encode())
        return Stored(pdf, rendered.pages, rendered.warnings)

    def _paths(self, key: str) -> tuple[Path, Path]:
        folder = self.folder / key[:2]
        return folder / f"{key}.pdf", folder / f"{key}.json"
