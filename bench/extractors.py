#!/usr/bin/env python3
"""The article text as trafilatura or readability-lxml alone finds it, printed the way
`archiver inspect --json --text` prints archiver's, so that the shared scoring tool can put the
three side by side on the same pages:

  python ../shared/tools/score.py ../shared/corpus --cmd "python bench/extractors.py trafilatura" --body
  python ../shared/tools/score.py ../shared/corpus --cmd "python bench/extractors.py readability" --body

usage: extractors.py trafilatura|readability PAGE
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path


def trafilatura_text(html: str) -> dict[str, object]:
    import trafilatura

    found = trafilatura.bare_extraction(html, with_metadata=True, include_tables=True)
    if found is None:
        return {"text": ""}
    data = found if isinstance(found, dict) else found.as_dict()
    return {
        "title": data.get("title"),
        "authors": [a.strip() for a in (data.get("author") or "").split(";") if a.strip()],
        "published": data.get("date"),
        "url": data.get("url"),
        "outlet": data.get("sitename"),
        "text": data.get("text") or "",
    }


def readability_text(html: str) -> dict[str, object]:
    import lxml.html
    from readability import Document

    logging.getLogger("readability.readability").setLevel(logging.CRITICAL)
    document = Document(html, min_text_length=25)
    summary = lxml.html.fromstring(document.summary(html_partial=True) or "<div></div>")
    return {"title": document.short_title(), "text": summary.text_content()}


def main() -> int:
    if len(sys.argv) != 3 or sys.argv[1] not in ("trafilatura", "readability"):
        print(__doc__, file=sys.stderr)
        return 2
    path = Path(sys.argv[2])
    html = path.read_bytes().decode("utf-8", errors="replace")
    found = trafilatura_text(html) if sys.argv[1] == "trafilatura" else readability_text(html)
    print(json.dumps({"input": str(path), "index": 0, **found}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
