"""Reducing a whole web page to its article, with readability-lxml.

readability-lxml returns the page's own markup for the article (figures, captions, tables and
code as the publisher wrote them), which an archive wants more than a re-rendered text.
"""

from __future__ import annotations

import logging
from copy import deepcopy

from lxml.html import HtmlElement
from readability import Document
from readability.readability import Unparseable

from .tree import parse_fragment

MIN_ARTICLE_CHARS = 200  # below this the extractor found a fragment, not the article
_HIDDEN_SRC = "data-archiver-src"


def main_content(tree: HtmlElement) -> HtmlElement:
    """The article part of a full page; the whole <body> when no article stands out."""
    body = tree.find(".//body")
    whole = body if body is not None else tree
    summary = _readability_summary(tree)
    if not summary.strip():
        return whole
    article = parse_fragment(summary)
    _reveal_sources(article)
    if len(article.text_content().strip()) < min(MIN_ARTICLE_CHARS, len(whole.text_content().strip()) // 2):
        return whole
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


def _reveal_sources(root: HtmlElement) -> None:
    for img in root.iter("img"):
        if img.get(_HIDDEN_SRC) is not None:
            img.set("src", img.attrib.pop(_HIDDEN_SRC))
