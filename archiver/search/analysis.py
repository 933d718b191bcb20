"""What a word is to the search index: one analysis, for the articles and the queries alike.

Folded first (lowercase, compatibility forms, the diacritics of the combining-marks blocks
dropped, ß as ss), so that "Münster" finds "Munster" and back; then stemmed by the Snowball
stemmer of the article's language (PyStemmer, the Snowball project's own binding of its C code),
so that "running" finds "runs". Chinese, Japanese and Korean runs, written without spaces
between words, become overlapping pairs of characters (the bigrams of Lucene's CJK analyzer).

A query's words are stemmed as the articles' words were: by the stems the index recorded for
each language (store.py), not by the stemmer, so that the site's fulltext.js, which looks them
up in the same stems, finds the same articles; a word no article of a language holds is taken as
written for it (and, when no article holds it at all, corrected to the nearest one, find.py).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from functools import cache
from itertools import chain

import Stemmer

# Snowball's stemmer for each ISO 639-1 code; an article in any other language is not stemmed
STEMMERS = {
    "ar": "arabic", "ca": "catalan", "cs": "czech", "da": "danish", "de": "german", "el": "greek",
    "en": "english", "eo": "esperanto", "es": "spanish", "et": "estonian", "eu": "basque",
    "fa": "persian", "fi": "finnish", "fr": "french", "ga": "irish", "hi": "hindi", "hu": "hungarian",
    "hy": "armenian", "id": "indonesian", "it": "italian", "lt": "lithuanian", "nb": "norwegian",
    "ne": "nepali", "nl": "dutch", "nn": "norwegian", "no": "norwegian", "pl": "polish",
    "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian", "sv": "swedish",
    "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}  # fmt: skip
NONE = ""  # the language of an article with no stemmer

WORD = re.compile(r"[^\W_]+")  # fulltext.js: /[\p{L}\p{N}]+/gu
MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
CJK = re.compile(
    "[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\ua960-\ua97f\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f]+"
)


def stemming(language: str | None) -> str:
    """The key of the stemmer for an article's language ("en-GB": "en"), or NONE."""
    code = (language or "").split("-")[0].split("_")[0].lower()
    return code if code in STEMMERS else NONE


def fold(word: str) -> str:
    lowered = unicodedata.normalize("NFKD", word).lower()
    return unicodedata.normalize("NFC", MARKS.sub("", lowered)).replace("ß", "ss")


def words(text: str) -> Iterator[re.Match[str]]:
    """The words of a text, where they are in it (snippets mark them there)."""
    return WORD.finditer(text)


@cache
def _stemmer(key: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(STEMMERS[key])


class Analyzer:
    """Turns words into the index's terms, for one stemming language; remembers every word it
    has seen, since an article repeats most of its words and a package most of its articles'.
    One lives as long as the work that made it (a sync, a search): nothing outlives the call."""

    def __init__(self, key: str, stem: Callable[[str], str] | None = None) -> None:
        self.key = key
        self._stem = stem or (_stemmer(key).stemWord if key else None)
        # a word as written: its terms, and the (folded word, stem) of its parts stemmed to another
        self._seen: dict[str, tuple[tuple[str, ...], tuple[tuple[str, str], ...]]] = {}

    def terms_of_word(self, word: str) -> tuple[str, ...]:
        """The terms of one word as written: its stem, or its CJK runs as pairs of characters."""
        return self._analysis(word)[0]

    def stemmed(self, word: str) -> tuple[tuple[str, str], ...]:
        """The parts of a word as written whose stem is not themselves, folded, with their stem:
        what the site's page looks up instead of stemming."""
        return self._analysis(word)[1]

    def _analysis(self, word: str) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
        found = self._seen.get(word)
        if found is None:
            found = self._seen[word] = self._analyze(word)
        return found

    def _analyze(self, word: str) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
        terms: list[str] = []
        stemmed: list[tuple[str, str]] = []

        def stem(folded: str) -> None:
            found = str(self._stem(folded)) if self._stem else folded
            terms.append(found)
            if found != folded:
                stemmed.append((folded, found))

        for piece in WORD.findall(fold(word)):  # folding may part a word ("⑴" is "(1)")
            end = 0
            for run in CJK.finditer(piece):
                if run.start() > end:
                    stem(piece[end : run.start()])
                chars = run.group()
                terms += [chars] if len(chars) == 1 else [chars[i : i + 2] for i in range(len(chars) - 1)]
                end = run.end()
            if end < len(piece):
                stem(piece[end:])
        return tuple(terms), tuple(stemmed)

    def terms(self, text: str) -> list[str]:
        """Every term of a text, in order (a phrase is terms side by side). The loop of an
        export of 100,000 articles: a dictionary lookup a word, most of the time."""
        seen, analysis = self._seen, self._analysis
        return list(chain.from_iterable((seen.get(w) or analysis(w))[0] for w in WORD.findall(text)))
