"""The reproductions of issue 27's resource probes: small files that once took the machine (or the
export) down. Each is written here, the same bytes on every run, with the good entries it holds,
so that a test (and `fuzz/probes.py`, which times them) can check that the bad part is reported
in one line and every good entry still comes out.

usage: python -m tests.hostile_probes OUT
"""

from __future__ import annotations

import io
import json
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

GOOD = "https://a.example/good"  # the address of the good entry every probe holds


@dataclass(frozen=True)
class Probe:
    name: str
    file: str  # relative to the probes' folder
    good: int  # how many entries of it are good and must come out as articles
    bad: int  # how many must be reported, each in one line
    what: str


def deep_list(depth: int) -> bytes:
    """A wallabag export: one good entry, then a list nested `depth` deep (defect 1)."""
    good = json.dumps({"url": GOOD, "title": "Good", "is_archived": 0})
    return f"[{good},{'[' * depth}{']' * depth}]".encode()


def deep_field(depth: int) -> bytes:
    """A wallabag export whose second entry carries a field nested `depth` deep (defect 2): its
    reading passed, then its original's canonical JSON raised RecursionError in the package."""
    good = json.dumps({"url": GOOD, "title": "Good", "is_archived": 0})
    deep = '{"url":"https://a.example/deep","is_archived":0,"extra":' + "[" * depth + "]" * depth + "}"
    return f"[{good},{deep}]".encode()


def alias_bomb(levels: int = 9, width: int = 9) -> bytes:
    """An Obsidian clip whose front matter is YAML's "billion laughs": `width`**`levels` copies of
    one string from a few hundred bytes (defect 3)."""
    lines = ['a0: &a0 "lol"']
    for level in range(1, levels + 1):
        lines.append(f"a{level}: &a{level} [{', '.join(f'*a{level - 1}' for _ in range(width))}]")
    lines.append(f"title: *a{levels}")
    lines.append(f"source: {GOOD}")
    return ("---\n" + "\n".join(lines) + "\n---\n\nThe text.\n").encode()


POCKET_HEADER = "title,url,time_added,tags,status\n"


def pocket_zip(parts: int, bad_annotation: bool = False) -> bytes:
    """Pocket's pocket.zip with a row in each of `parts` parts (defect 7); with `bad_annotation`,
    an `annotations/` member whose highlights are not a list (defect 8)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for n in range(parts):
            url = GOOD if n == 0 else f"https://a.example/{n}"
            archive.writestr(f"part_{n:06d}.csv", f"{POCKET_HEADER}Row {n},{url},1700000000,,unread\n")
        if bad_annotation:
            archive.writestr(
                "annotations/part_000000.json", '[{"url": "https://a.example/1", "highlights": 7}]'
            )
            archive.writestr(
                "annotations/part_000001.json",
                json.dumps([{"url": GOOD, "highlights": [{"quote": "Row", "created_at": 1700000000}]}]),
            )
    return out.getvalue()


def long_field_csv() -> bytes:
    """A Pocket CSV whose second row has a field over the csv module's limit (defect 8)."""
    rows = [
        f"Good,{GOOD},1700000000,,unread",
        f"{'x' * 200_000},https://a.example/long,1700000000,,unread",
        "After,https://a.example/after,1700000000,,unread",
    ]
    return (POCKET_HEADER + "\n".join(rows) + "\n").encode()


def script_address() -> bytes:
    """A wallabag entry whose address is a script (defect 4), beside a good one."""
    entries = [
        {"url": GOOD, "title": "Good", "content": "<p>good</p>", "is_archived": 0},
        {"url": " JavaScript:alert(1)", "title": "t", "content": "<p>hi</p>", "is_archived": 0},
    ]
    return json.dumps(entries).encode()


PROBES: dict[Probe, Callable[[], bytes]] = {
    Probe("deep-100000", "deep-100000.json", 1, 1, "a list nested 100,000 deep (200 kB)"): lambda: deep_list(
        100_000
    ),
    Probe("deep-20000", "deep-20000.json", 1, 1, "a list nested 20,000 deep (40 kB)"): lambda: deep_list(
        20_000
    ),
    Probe("deep-field", "deep-field.json", 1, 1, "an entry nested 1,000 deep"): lambda: deep_field(1000),
    Probe("alias-bomb", "alias-bomb.md", 0, 1, "YAML billion laughs, 9^9 copies"): alias_bomb,
    Probe("pocket-20000", "pocket.zip", 20_000, 0, "pocket.zip of 20,000 one-row parts"): lambda: pocket_zip(
        20_000
    ),
    Probe("long-field", "long-field.csv", 2, 1, "a CSV field of 200,000 characters"): long_field_csv,
    Probe(
        "bad-annotations", "bad-annotations/pocket.zip", 3, 1, "pocket.zip with a bad annotations member"
    ): lambda: pocket_zip(3, bad_annotation=True),
}


def write(out: Path) -> list[Probe]:
    """Every probe, each in a folder of its own (a probe is one input)."""
    for probe, make in PROBES.items():
        path = out / probe.name / probe.file
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(make())
    return list(PROBES)


if __name__ == "__main__":
    write(Path(sys.argv[1]))
