"""The site's full-text search: the package's search index (search/store.py) written out under
`site/search/` as scripts, since a page opened from the disk may load a script but not fetch a
file. fulltext.js (styles/) loads only the shards a query needs.

- meta.js: how many articles, their terms in all, the column weights, the stemming languages,
  and which shards exist: what BM25 and the loader need before anything else.
- The articles in segments of SEGMENT by their place in the package, which never changes: a
  segment's files are written when one of its articles is new or changed, so that an export
  writes what it added, not the whole index.
  - l<segment>.js: each article's place, length in terms and language (what BM25 needs of it);
  - d<segment>.js: each one's title, page and facts (what a result shows);
  - p<segment>-<bucket>.js: the postings of the terms that begin with one letter (the bucket):
    which articles hold each term, how often in each column;
  - t<segment>-<n>.js: the text of TEXT_PART of them, deflated: what a quoted phrase is checked
    against and snippets are cut from.
- w-<bucket>.js: the stem of every word the package holds whose stem is not itself, by
  language, as what it cuts off the word and adds: the page looks words up rather than running
  a stemmer.
"""

from __future__ import annotations

import base64
import json
import re
import sqlite3
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

from ..search.store import WEIGHTS, languages, unpacked
from .grow import SEARCH_FORMAT

FOLDER = "search"
SEGMENT = 2000  # a query loads a file a segment and letter: fewer, larger segments answer sooner
TEXT_PART = 100  # articles a text file holds: a result's snippet needs its article's alone
SEGMENT_FILE = re.compile(r"(?P<kind>[ldpt])(?P<segment>[0-9]+)(?:-(?P<part>[^.]+))?\.js")


def bucket(term: str) -> str:
    """The shard of a term or word: its first letter, or for other scripts a number of 64."""
    first = term[0]
    return first if "a" <= first <= "z" or "0" <= first <= "9" else f"u{ord(first) % 64}"


def segment_of(position: int) -> int:
    return (position - 1) // SEGMENT


def segments_to_write(db: sqlite3.Connection, changed: set[int] | None, present: Path) -> set[int]:
    """The segments whose files must be written: every one when `changed` is None; else those
    with an article new or changed (`changed`), and those the site there lacks."""
    last = db.execute("SELECT max(position) FROM search.docs").fetchone()[0]
    every = set(range(segment_of(last) + 1)) if last else set()
    if changed is None:
        return every
    missing = {s for s in every if not (present / FOLDER / f"d{s}.js").is_file()}
    return missing | {segment_of(position) for position in changed}


def write_search(
    db: sqlite3.Connection,
    dest: Path,
    present: Path,
    segments: set[int],
    shown: dict[int, tuple[str, str, str]],
) -> set[str]:
    """The search's files into `dest/search`: meta.js and the stems every time, the given
    segments' files; `shown` is each of their articles' (title, page, facts). The files of the
    site there that stay as they are, by their path in the site."""
    folder = dest / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    keys = languages(db)
    buckets: dict[int, list[str]] = {}
    for segment in sorted(segments):
        buckets[segment] = _write_segment(db, folder, segment, keys, shown)
    kept: set[str] = set()
    for path in sorted((present / FOLDER).glob("*.js")) if (present / FOLDER).is_dir() else []:
        found = SEGMENT_FILE.fullmatch(path.name)
        if found is None or int(found["segment"]) in segments:
            continue
        kept.add(f"{FOLDER}/{path.name}")
        if found["kind"] == "p":
            buckets.setdefault(int(found["segment"]), []).append(found["part"])
    words = _write_stems(db, folder, keys)
    count, tokens = db.execute("SELECT count(*), coalesce(sum(length), 0) FROM search.docs").fetchone()
    meta = {
        "version": SEARCH_FORMAT,
        "articles": count,
        "terms": tokens,
        "weights": list(WEIGHTS),
        "languages": keys,
        "segment": SEGMENT,
        "text": TEXT_PART,
        "postings": {str(s): sorted(b) for s, b in sorted(buckets.items())},
        "stems": words,
    }
    _script(folder / "meta.js", "meta", meta)
    return kept


def _write_segment(
    db: sqlite3.Connection,
    folder: Path,
    segment: int,
    keys: list[str],
    shown: dict[int, tuple[str, str, str]],
) -> list[str]:
    first = segment * SEGMENT + 1
    rows = db.execute(
        "SELECT position, language, length, text, terms FROM search.docs JOIN search.texts USING (position)"
        " WHERE position BETWEEN ? AND ? ORDER BY position",
        (first, first + SEGMENT - 1),
    ).fetchall()
    lengths, docs, texts = [], [], []
    postings: dict[str, dict[str, list[tuple[int, tuple[int, ...]]]]] = defaultdict(lambda: defaultdict(list))
    for position, key, length, text, terms in rows:
        title, href, facts = shown.get(position, ("", "", ""))
        lengths.append([position, length, keys.index(key)])
        docs.append([title, href, facts])
        texts.append(unpacked(text))
        counts = [Counter(column.split()) for column in unpacked(terms)]
        for term in sorted(set().union(*counts)):
            postings[bucket(term)][term].append((position, tuple(c[term] for c in counts)))
    _script(folder / f"l{segment}.js", f"l{segment}", lengths)
    _script(folder / f"d{segment}.js", f"d{segment}", docs)
    for part in range(0, len(texts), TEXT_PART):
        deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
        chunk = json.dumps(texts[part : part + TEXT_PART], ensure_ascii=False).encode()
        name = f"t{segment}-{part // TEXT_PART}"
        _script(
            folder / f"{name}.js", name, base64.b64encode(deflate.compress(chunk) + deflate.flush()).decode()
        )
    for name, terms in postings.items():
        _script(
            folder / f"p{segment}-{name}.js", f"p{segment}-{name}", {t: _encoded(e) for t, e in terms.items()}
        )
    return sorted(postings)


def _encoded(entries: Iterable[tuple[int, tuple[int, ...]]]) -> str:
    """A term's postings as text: for each article, the step from the last one's place and how
    often the term is in its body, then title and byline when either holds it, in base 36; the
    most common case, once in the body only, is the step alone."""
    parts, last = [], 0
    for position, (title, byline, body) in entries:
        fields = [position - last, body] + ([title, byline] if title or byline else [])
        parts.append(".".join(_base36(n) for n in (fields[:1] if fields[1:] == [1] else fields)))
        last = position
    return ",".join(parts)


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    text = ""
    while True:
        number, rest = divmod(number, 36)
        text = digits[rest] + text
        if not number:
            return text


def _write_stems(db: sqlite3.Connection, folder: Path, keys: list[str]) -> list[str]:
    """w-<bucket>.js for every bucket of the stems; the buckets written."""
    found: dict[str, dict[str, dict[str, str]]] = defaultdict(lambda: defaultdict(dict))
    for word, key, stem in db.execute(
        "SELECT word, language, stem FROM search.stems ORDER BY word, language"
    ):
        found[bucket(word)][key][word] = _cut(word, stem)
    for name, by_key in found.items():
        _script(folder / f"w-{name}.js", f"w-{name}", by_key)
    return sorted(found)


def _cut(word: str, stem: str) -> str:
    """A stem as what it takes off the end of its word and adds: "running" -> "run" is "4",
    "happy" -> "happi" is "1i"; a stem that keeps less than the word's start is "=" and itself."""
    kept = 0
    while kept < min(len(word), len(stem)) and word[kept] == stem[kept]:
        kept += 1
    cut = len(word) - kept
    return _base36(cut) + stem[kept:] if kept and cut < 36 else "=" + stem


def _script(path: Path, name: str, data: object) -> None:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    path.write_text(f"archiverSearch.add({json.dumps(name)},{text});\n", encoding="utf-8")
