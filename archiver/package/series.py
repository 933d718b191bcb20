"""The package's WARC series (grow.py): each WARC as an export writes it, with beside it, in the
package's state, the piece a WACZ of the series takes of it (its CDXJ lines, its pages, when it
was made), so that the WACZ of every WARC is packed without reading a WARC again."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from ..atomic import write_atomic
from ..book.collection import build_time
from ..errors import ArchiverError
from ..exporters.base import ExportOptions
from ..model import Article

PIECES = "pieces"  # in staging, the pieces of the WARCs written now
SERIES_PIECES = "series"  # in the package's state, every WARC's piece


def piece_of(warc: Path, folder: Path) -> Path:
    return folder / f"{warc.name}.json"


def write_series_warc(
    articles: Sequence[Article], dest: Path, pieces: Path, options: ExportOptions
) -> str | None:
    """A WARC of the series, and its piece in `pieces`; None, or why it could not be written."""
    from ..exporters.wacz.package import index_warc, pages_lines  # what makes WARCs loads when one is made
    from ..exporters.warc.records import write_records

    try:
        with dest.open("wb") as handle:
            pages = write_records(articles, handle, options, dest.name)
        piece = {
            "articles": len(articles),
            "when": build_time(articles).isoformat(),
            "index": index_warc(dest, dest.name).decode("utf-8"),
            "pages": pages_lines(pages).decode("utf-8"),
        }
        pieces.mkdir(parents=True, exist_ok=True)
        data = json.dumps(piece, ensure_ascii=False, sort_keys=True).encode("utf-8")
        write_atomic(piece_of(dest, pieces), data)
    except (ArchiverError, OSError) as exc:
        return str(exc)
    return None


def series_pieces(series: Sequence[str], staging: Path, payload: Path, kept: Path) -> list[tuple[Path, Path]]:
    """(the WARC, its piece) of each WARC of the series: written now (in staging) or before."""
    found = []
    for name in series:
        fresh = (staging / name).is_file()
        warc = (staging if fresh else payload) / name
        found.append((warc, piece_of(warc, staging / PIECES if fresh else kept)))
    return found


def pack_series(series: Sequence[tuple[Path, Path]], dest: Path, title: str, articles: int) -> str | None:
    """The WACZ of every WARC of the series; None, or why it could not be written."""
    from ..exporters.wacz.package import Packed, pack

    try:
        packed, moments = [], []
        for warc, piece_path in series:
            piece = json.loads(piece_path.read_text(encoding="utf-8"))
            index, pages = piece["index"].encode("utf-8"), piece["pages"].encode("utf-8")
            packed.append(Packed(warc.name, warc, index, pages))
            moments.append(datetime.fromisoformat(piece["when"]))
        pack(dest, packed, title, max(moments), articles)
    except (ArchiverError, OSError, ValueError, KeyError) as exc:
        return str(exc)
    return None
