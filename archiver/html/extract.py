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

That element often holds more than the article (a menu, a biography, "Most popular"), so each
of its blocks is then judged (`prune`), with two votes: trafilatura as above, and trafilatura
favouring precision. On the 88 pages of ../shared/bodies (shingle precision / recall / F1):
the element alone 0.914 / 0.984 / 0.948; pruned on the first vote 0.956 / 0.977 / 0.966; on
both, where a block needs both votes to mark the article's start or end, 0.976 / 0.978 /
0.977. readability-lxml as a third vote scored lower (0.961 / 0.977) and costs more than a
second trafilatura run. The second run is asked only where the element holds more than 1.2
times the first one's words, a fifth of the pages: elsewhere there is no edge for it to settle
(0.974 / 0.979 / 0.976; the corpus's F1 0.977 either way), at a fifth of its cost. It reads
only the element it is asked about (under its ancestors' tags, nothing beside them): two thirds
of its time on the whole page, and the same scores (one page of the 88 a little better). With
the pruning, descending into a child holding 95% of its parent's text (not 85%) finds more of
articles split across siblings.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from copy import deepcopy

from lxml import etree
from lxml.html import HtmlElement
from readability import Document
from readability.readability import Unparseable

from .prune import prune, runs, shingles, words
from .tree import parse_fragment

MIN_ARTICLE_CHARS = 200  # below this the extractor found a fragment, not the article
MAX_COMPARED_CHARS = 2_000_000  # of text: past this, readability-lxml alone chooses (a whole book)
HOLDS_THE_ARTICLE = 0.95  # a child holding this share of its parent's matched text is the way down
COVERS_THE_ARTICLE = 0.8  # the element must hold this share of trafilatura's words
SECOND_VOTE = 1.2  # times trafilatura's words, past which the element holds enough else to ask twice
# What trafilatura reads as nothing, deleted from the copy it is given: its cleaning and its
# fallback's both delete scripts (but the JSON-LD it reads), styles, drawings, asides and footers;
# navigation is links to other pages by HTML's definition, which its cleaning deletes too. Its
# own copies of the page and its searches of it then cost a fifth less (the 175 pages of
# ../shared/corpus and ../shared/bodies: 2.86 s, 2.31 s), and its text is the same on each.
_READ_AS_NOTHING = ("style", "svg", "aside", "footer", "nav")
_HIDDEN_SRC = "data-archiver-src"
_WORD = re.compile(r"\w+")
_BOILERPLATE = re.compile(
    r"(?:^|[-_\s])(?:share|sharing|sharedaddy|social|related|relatedposts|post-flair|newsletter|subscribe"
    r"|comments?|respond|promo|donate|donation|support-us|outbrain|taboola)(?:$|[-_\s])",
    re.IGNORECASE,
)
_KEPT_WHOLE = ("figure", "table", "pre", "picture", "video", "audio", "math")
_TEXT_BLOCKS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "td", "dd", "figcaption")


def main_content(tree: HtmlElement, authors: tuple[str, ...] = ()) -> HtmlElement:
    """The article part of a full page; the whole <body> when no article stands out. `authors`:
    the names the page's metadata gives, whose byline is not the article's text."""
    body = tree.find(".//body")
    whole = body if body is not None else tree
    # trafilatura parses a page's markup without its comments; in a tree handed to it, a comment
    # ends its paragraph's text (measured: a third of a Gizmodo article lost after "<!-- -->")
    etree.strip_tags(tree, etree.Comment, etree.ProcessingInstruction)
    # a book or a log saved as one page: no extractor's comparison is worth its time there
    evidence = _trafilatura_words(deepcopy(tree)) if len(whole.text_content()) < MAX_COMPARED_CHARS else []
    found = _element_holding(whole, evidence) if evidence else None
    if found is not None:
        wanted = shingles(evidence)
        _drop_boilerplate(found, wanted)
        votes = [wanted]
        if len(_WORD.findall(found.text_content())) > SECOND_VOTE * len(evidence):  # more than the text
            votes.append(shingles(_trafilatura_words(_alone(found), precise=True)))
        prune(found, votes, authors)
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


def _trafilatura_words(page: HtmlElement, precise: bool = False) -> list[str]:
    """The words of the article as trafilatura finds it, `precise`: favouring precision over
    recall. `page` is a copy, which this edits: what trafilatura reads as nothing is deleted first."""
    import trafilatura

    for script in list(page.iter("script")):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            script.drop_tree()
    etree.strip_elements(page, *_READ_AS_NOTHING, with_tail=False)
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    text = trafilatura.extract(
        page, include_comments=False, include_tables=True, fast=True, favor_precision=precise
    )
    return words(text or "")


def _alone(element: HtmlElement) -> HtmlElement:
    """A copy of the page with `element` alone in it: its ancestors' tags and attributes, and
    nothing beside them."""
    copy = deepcopy(element)
    copy.tail = None  # the text after it is beside it
    for ancestor in element.iterancestors():
        outer = ancestor.makeelement(ancestor.tag, ancestor.attrib)
        outer.append(copy)
        copy = outer
    return copy


def _element_holding(root: HtmlElement, evidence: list[str]) -> HtmlElement | None:
    """The deepest element that holds most of the evidence's text blocks: from the root down,
    into the one child that holds nearly all of what the parent holds."""
    wanted = shingles(evidence)
    held: dict[HtmlElement, int] = {}  # a text block's words, when the evidence holds them
    unread = {block for part in root.iter(*_READ_AS_NOTHING) for block in part.iter(*_TEXT_BLOCKS)}
    for block in root.iter(*_TEXT_BLOCKS):
        if block in unread:
            continue  # trafilatura did not read it: its text did not come from there
        text = block.text_content()
        if len(text) < 7:
            continue  # too short for four words ("a b c d"): a menu's item
        found = words(text)
        if len(found) >= 4 and wanted.issuperset(runs(found)):  # stops at the first run not held
            held[block] = len(found)
    # each element's weight, the held words of the blocks below it, summed from the leaves up in
    # one pass (a walk up from each block costs its depth, on pages nested thirty deep)
    weight: dict[HtmlElement, int] = {}
    for element in reversed(list(root.iter())):
        below = held.get(element, 0) + weight.get(element, 0)
        parent = element.getparent()
        if below and parent is not None and element is not root:
            weight[parent] = weight.get(parent, 0) + below
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
    while node is not root and not _covers(evidence, words(node.text_content())):
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
        found = words(node.text_content())
        if len(found) >= 4 and shingles(found) & wanted:
            continue
        node.drop_tree()


def _covers(evidence: list[str], words: list[str]) -> bool:
    """Whether these words hold COVERS_THE_ARTICLE of the evidence's text: by distinct words, or
    word for word (a short table's words weigh little in the first, a long page's repeated words
    little in the second)."""
    if not evidence:
        return True
    need = set(evidence)
    if len(need.intersection(words)) >= COVERS_THE_ARTICLE * len(need):  # most often enough
        return True
    held = Counter(evidence) & Counter(words)
    return sum(held.values()) >= COVERS_THE_ARTICLE * len(evidence)


def _reveal_sources(root: HtmlElement) -> None:
    for img in root.iter("img"):
        if img.get(_HIDDEN_SRC) is not None:
            img.set("src", img.attrib.pop(_HIDDEN_SRC))
