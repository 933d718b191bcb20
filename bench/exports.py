"""The backlog workloads: read-it-later exports of a size people hold, made from the real exports
in ../shared/exports, each entry varied (its address) so that none is a duplicate of another."""

from __future__ import annotations

import csv
import json
from pathlib import Path

# wallabag's own fixture holds one 700 kB entry; a thousand copies of it would measure that page
LARGEST_ENTRY = 100_000


def pocket_csv(exports: Path, out: Path, rows: int) -> None:
    """`rows` rows of Pocket's CSV export, the sample's rows over and over, each its own address."""
    with (exports / "wallabag" / "pocket.csv").open(encoding="utf-8", newline="") as handle:
        header, *sample = list(csv.reader(handle))
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for n in range(rows):
            row = list(sample[n % len(sample)])
            row[1] += ("&" if "?" in row[1] else "?") + f"copy={n}"
            writer.writerow(row)


def wallabag_json(exports: Path, out: Path, entries: int) -> None:
    """`entries` entries of a wallabag 2.x export (each with its article's text), written as a
    stream, so that making it does not need the memory that reading it must not."""
    sample = [
        e
        for e in json.loads((exports / "wallabag" / "wallabag-v2.json").read_bytes())
        if len(json.dumps(e)) < LARGEST_ENTRY
    ]
    with out.open("w", encoding="utf-8") as handle:
        handle.write("[")
        for n in range(entries):
            url = sample[n % len(sample)]["url"]
            # a query, not a #fragment: the address without its fragment is the article (merge.py)
            entry = dict(sample[n % len(sample)], id=n, url=f"{url}{'&' if '?' in url else '?'}copy={n}")
            handle.write(("," if n else "") + json.dumps(entry))
        handle.write("]")
