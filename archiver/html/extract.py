"""Reducing a whole web page to its article: trafilatura finds the article's text, and the
article is the page's own element that holds that text.

trafilatura finds the text of an article more reliably than readability-lxml (on the shared
corpus: 0.99 of the annotated passages kept and 0.96 of the boilerplate left out, against 0.93
and 0.91), but it re-renders what it finds. An archive wants the page's own markup: figures,
captions, tables and code as the publisher wrote them. So trafilatura's text is the evidence,
and the article is the deepest page element that holds nearly all of it: one child holding
most of its parent's matched text is taken, until none does or the text would be cut short.
readability-lxml is the fallback for the pages where trafilatura's text is not the page's own
(it reassembled it) or it found none.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections import Counter
from copy import deepcopy

from lxml.html import HtmlElement
from readability import Document
from readability.readability import Unparseable

from .tree import parse_fragment

MIN_ARTICLE_CHARS = 200  # below this the extractor found a fragment, not the article
MAX_COMPARED_CHARS = 2_000_000  # of text: past this, readability-lxml alone chooses (a whole book)
HOLDS_THE_ARTICLE = 0.85  # a child holding this share of its parent's matched text is the way down
COVERS_THE_ARTICLE = 0.8  # the element must hold this share of trafilatura's words
_HIDDEN_SRC = "data-archiver-src"
_WORD = re.compile(r"\w+")
_BOILERPLATE = re.compile(
    r"(?:^|[-_\s])(?:share|sharing|sharedaddy|social|related|relatedposts|post-flair|newsletter|subscribe"
    r"|comments?|respond|promo|donate|donation|support-us|outbrain|taboola)(?:$|[-_\s])",
    re.IGNORECASE,
)
_KEPT_WHOLE = ("figure", "table", "pre", "picture", "video", "audio", "math")
_TEXT_BLOCKS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "td", "dd", "figcaption")


def main_content(tree: HtmlElement) -> HtmlElement:
    """The article part of a full page; the whole <body> when no article stands out."""
    body = tree.find(".//body")
    whole = body if body is not None else tree
    # a book or a log saved as one page: no extractor's comparison is worth its time there
    evidence = _trafilatura_words(tree) if len(whole.text_content()) < MAX_COMPARED_CHARS else []
    found = _element_holding(whole, evidence) if evidence else None
    if found is not None:
        _drop_boilerplate(found, _shingles(evidence))
        return found
    summary = _readability_summary(tree)
    article = parse_fragment(summary) if summary.strip() else None
    if article is None or len(article.text_content().strip()) < min(
        MIN_ARTICLE_CHARS, len(whole.text_content().strip()) // 2
    ):
        return whole
    _reveal_sources(article)
    return article


def _readability_summary(tree: HtmlElement) -> str:
    # readability's cleaner empties data: and SVG image sources; they are ours to judge, so the
    # markup it sees carries them under another name.
    images = [img for img in tree.iter("img") if img.get("src") is not None]
    for img in images:
        img.set(_HIDDEN_SRC, img.attrib.pop("src"))
    copy = deepcopy(tree)  # readability takes a tree (no serializing and parsing again) and edits it
    _reveal_sources(tree)
    logging.getLogger("readability.readability").setLevel(logging.CRITICAL)
    try:
        return str(Document(copy, min_text_length=25).summary(html_partial=True))
    except Unparseable:
        return ""


def _trafilatura_words(tree: HtmlElement) -> list[str]:
    """The words of the article as trafilatura finds it (its own copy of the tree: it edits it)."""
    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    text = trafilatura.extract(deepcopy(tree), include_comments=False, include_tables=True, fast=True)
    return _words(text or "")


def _element_holding(root: HtmlElement, evidence: list[str]) -> HtmlElement | None:
    """The deepest element that holds most of the evidence's text blocks: from the root down,
    into the one child that holds nearly all of what the parent holds."""
    wanted = _shingles(evidence)
    weight: dict[HtmlElement, int] = {}
    for block in root.iter(*_TEXT_BLOCKS):
        words = _words(block.text_content())
        if len(words) >= 4 and _shingles(words) <= wanted:
            for ancestor in block.iterancestors():
                weight[ancestor] = weight.get(ancestor, 0) + len(words)
                if ancestor is root:
                    break
    total = weight.get(root, 0)
    if total < min(len(evidence) // 2, 40):
        return None  # the page's blocks do not hold trafilatura's text: it reassembled it
    node = root
    while True:
        heavy = [child for child in node if isinstance(child.tag, str) and weight.get(child, 0)]
        best = max(heavy, key=lambda child: weight[child], default=None)
        if best is None or weight[best] < HOLDS_THE_ARTICLE * weight[node]:
            break
        node = best
    # one long post of a thread, one section of a page: up until the element holds the article
    while node is not root and _share(evidence, _words(node.text_content())) < COVERS_THE_ARTICLE:
        parent = node.getparent()
        if parent is None:
            break
        node = parent
    return node


def _drop_boilerplate(element: HtmlElement, wanted: set[int]) -> None:
    """Share bars, related links, newsletter and support boxes, comment sections, as their class
    or id names them, inside the element that holds the article: dropped as a Reader View drops
    them, unless one holds some of the text trafilatura kept, or a figure, table, code or formula."""
    for node in list(element.iterdescendants()):
        if not isinstance(node.tag, str) or node.getparent() is None:
            continue  # a comment, or inside a part already dropped
        if not _BOILERPLATE.search(f"{node.get('class') or ''} {node.get('id') or ''}"):
            continue
        if any(True for _ in node.iter(*_KEPT_WHOLE)):
            continue
        words = _words(node.text_content())
        if len(words) >= 4 and _shingles(words) & wanted:
            continue
        node.drop_tree()


def _shingles(words: list[str]) -> set[int]:
    """Each run of four words, hashed: a block is in a text when all its runs are (linear, where
    looking for each block's text in the whole text is quadratic on a long page)."""
    return set(map(hash, zip(words, words[1:], words[2:], words[3:], strict=False)))


def _words(text: str) -> list[str]:
    return _WORD.findall((text if text.isascii() else unicodedata.normalize("NFKC", text)).casefold())


def _share(evidence: list[str], words: list[str]) -> float:
    """How much of the evidence's text these words hold: word for word, or by distinct words,
    whichever is more (a short table's words weigh little in the first, a long page's repeated
    words little in the second)."""
    if not evidence:
        return 1.0
    need, have = Counter(evidence), Counter(words)
    distinct = len(need.keys() & have.keys()) / len(need)
    return max(distinct, sum((need & have).values()) / len(evidence))


def _reveal_sources(root: HtmlElement) -> None:
    for img in root.iter("img"):
        if img.get(_HIDDEN_SRC) is not None:
            img.set("src", img.attrib.pop(_HIDDEN_SRC))
