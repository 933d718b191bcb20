"""The query set of the search checks, made from a package's own articles by fixed rules (no
text of the corpus is copied here): for each article with a title and a body of some length,

- its title, as typed;
- a distinctive phrase of its body, in quotes: the eight words from the middle of its text on;
- a word of its title, misspelt or differently accented: the title's longest word of letters,
  its accents taken off or, when it has none, one of four slips a typist makes (two letters
  swapped, one dropped, one doubled, a vowel for another), by the article's place.

An answer is right when the article is first (titles, phrases), or in the first three (variants).
Articles whose title or phrase another article shares (the same story saved twice) are left out
of that kind: no search can tell them apart."""

from __future__ import annotations

import json
import sqlite3
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from archiver.search.analysis import WORD, fold
from archiver.search.store import indexed_text

PHRASE_WORDS = 8
MIN_BODY_WORDS = 40


@dataclass(frozen=True)
class Query:
    kind: str  # "title", "phrase" or "variant"
    text: str
    position: int  # the article it should find


def queries(package: Path, shared: bool = False) -> list[Query]:
    """The query set of a package; with `shared`, also the titles and phrases other articles
    have too (timing a search, not scoring it)."""
    db = sqlite3.connect(package / ".archiver" / "index.sqlite")
    texts = [
        (position, *indexed_text(json.loads(record)))
        for position, record in db.execute("SELECT position, record FROM articles ORDER BY position")
    ]
    db.close()
    made: list[Query] = []
    for position, title, _, body in texts:
        words = [w.group() for w in WORD.finditer(body)]
        if not title.strip() or len(words) < MIN_BODY_WORDS:
            continue
        made.append(Query("title", title, position))
        middle = len(words) // 2
        made.append(Query("phrase", '"' + " ".join(words[middle : middle + PHRASE_WORDS]) + '"', position))
        letters = [w for w in WORD.findall(title) if w.isalpha() and len(w) >= 5]
        if letters:
            made.append(Query("variant", misspelt(max(letters, key=len), position), position))
    return made if shared else _unshared(made)


def misspelt(word: str, seed: int) -> str:
    plain = "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))
    if plain != word:
        return plain
    i = len(word) // 2
    slip = seed % 4
    if slip == 0:
        return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]
    if slip == 1:
        return word[:i] + word[i + 1 :]
    if slip == 2:
        return word[:i] + word[i] + word[i:]
    vowels = "aeiou"
    for j in range(i, len(word)):
        if word[j].lower() in vowels:
            other = vowels[(vowels.index(word[j].lower()) + 1) % 5]
            return word[:j] + other + word[j + 1 :]
    return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]


def _unshared(made: list[Query]) -> list[Query]:
    """Without the titles and phrases that more than one article has."""
    seen = Counter(
        (q.kind, " ".join(fold(w) for w in WORD.findall(q.text))) for q in made if q.kind != "variant"
    )
    return [
        q
        for q in made
        if q.kind == "variant" or seen[(q.kind, " ".join(fold(w) for w in WORD.findall(q.text)))] == 1
    ]


def score(answers: dict[Query, list[int]]) -> dict[str, tuple[int, int]]:
    """(right, asked) by kind: first for titles and phrases, in the first three for variants."""
    tally: dict[str, list[int]] = {}
    for query, ranked in answers.items():
        depth = 3 if query.kind == "variant" else 1
        right = query.position in ranked[:depth]
        tally.setdefault(query.kind, [0, 0])
        tally[query.kind][0] += right
        tally[query.kind][1] += 1
    return {kind: (r, n) for kind, (r, n) in tally.items()}
