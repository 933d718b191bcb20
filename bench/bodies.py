#!/usr/bin/env python3
"""Article text of every page of a scored corpus, read in this process's workers, as the
predictions file the shared scoring tool takes: the same rows `archiver inspect --json --text`
prints, without starting archiver once per page (88 pages in seconds, not minutes), for the
extraction loop.

  python bench/bodies.py ../shared/bodies > /tmp/bodies.jsonl
  python ../shared/tools/score.py ../shared/bodies --predictions /tmp/bodies.jsonl --body -v

With --pages, one line per page instead: its shingle precision and recall, worst first.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def _rows(corpus: Path, paths: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Every page's rows, read by archiver's own two workers (one start for all the pages)."""
    from archiver.cli.report import article_row
    from archiver.model import Article
    from archiver.readers import read_inputs

    rows: dict[str, list[dict[str, Any]]] = {path: [] for path in paths}
    for item in read_inputs([str(corpus / path) for path in paths], jobs=2):
        if isinstance(item, Article):
            rel = Path(item.source.path).resolve().relative_to(corpus.resolve()).as_posix()
            rows[rel].append(article_row(item, rel, len(rows[rel]), text=True))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--pages", action="store_true", help="per-page precision and recall, worst first")
    args = parser.parse_args()
    expected = [
        json.loads(line) for line in (args.corpus / "expected.jsonl").read_text().splitlines() if line
    ]
    paths = [doc["path"] for doc in expected if doc.get("kind") != "export"]
    found = _rows(args.corpus, paths)
    if not args.pages:
        for rows in found.values():
            for row in rows:
                print(json.dumps(row, ensure_ascii=False))
        return 0
    sys.path.insert(0, str(args.corpus.parent / "tools"))
    import score  # type: ignore[import-not-found]

    lines = []
    for doc in expected:
        if not doc.get("body_text") or doc["path"] not in found:
            continue
        rows = found[doc["path"]]
        precision, recall = score.shingle_scores(rows[0]["text"] if rows else "", doc["body_text"])
        lines.append((min(precision or 0.0, recall), precision or 0.0, recall, doc["path"]))
    for _, precision, recall, path in sorted(lines):
        print(f"{precision:.3f} {recall:.3f} {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
