"""Reducing a whole web page to its article, with readability-lxml.

readability-lxml returns the page's own markup for the article (figures, captions, tables and
code as the publisher wrote them), which an archive wants more than a re-rendered text.
"""

from __future__ import annotations

import logging

from lxml import html as lxml_html
from lxml.html import HtmlElement
from readability import Document
from readability.readability import Unparseable

MIN_ARTICLE_CHARS = 200  # below this the extractor found a fragment, not the article


def main_content(tree: HtmlElement) -> HtmlElement:
    """The article part of a full page; the whole <body> when no article stands out."""
    body = tree.find(".//body")
    whole = body if body is not None else tree
    markup = lxml_html.tostring(tree, encoding="unicode")
    logging.getLogger("readability.readability").setLevel(logging.CRITICAL)
    try:
        summary = Document(markup, min_text_length=25).summary(html_partial=True)
    except Unparseable:
        return whole
    if not summary.strip():
        return whole
    article = lxml_html.fragment_fromstring(summary, create_parent="div")
    if len(article.text_content().strip()) < min(MIN_ARTICLE_CHARS, len(whole.text_content().strip()) // 2):
        return whole
    return article
