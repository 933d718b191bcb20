"""The language of an article that does not state its own, told from its text (py3langid).

Books need one: EPUB requires dc:language, Send-to-Kindle refuses a book without a real one
("und" will not do), and hyphenation follows it. What the input states always wins; a guess is
made only from enough text, kept only when sure, and recorded as a guess in the provenance.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from typing import TYPE_CHECKING

from lxml import etree

from .model import Article, frozen_map

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

ORIGIN = "detected:py3langid"
MIN_CHARS = 200  # less text than a paragraph or two is too little to tell
SAMPLE_CHARS = 6000  # enough to be sure, and a long article costs no more than a short one
MIN_PROBABILITY = 0.95


def detect_language(text: str) -> str | None:
    """An ISO 639-1 code, or None when the text is too short or the guess unsure."""
    text = " ".join(text[: SAMPLE_CHARS * 2].split())[:SAMPLE_CHARS]
    if len(text) < MIN_CHARS:
        return None
    language, probability = _identifier().classify(text)
    return str(language) if probability >= MIN_PROBABILITY else None


def with_language(article: Article) -> Article:
    """The article with its language told from its text when the input did not state one."""
    if article.language or not article.body:
        return article
    try:
        text = " ".join(etree.fromstring(f"<div>{article.body}</div>").itertext())
    except etree.XMLSyntaxError:  # a body is XHTML by the model's rule; no guess is worth failing for
        return article
    language = detect_language(text)
    if language is None:
        return article
    origins = frozen_map({**article.source.origins, "language": ORIGIN})
    return replace(article, language=language, source=replace(article.source, origins=origins))


@cache
def _identifier() -> LanguageIdentifier:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
