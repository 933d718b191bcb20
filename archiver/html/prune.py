"""What inside the article's element is not the article: each block of text is judged on its own.

The element that holds the article often holds more: a menu, a byline grown into a biography,
sign-in prompts, "Most popular" lists, a gallery's buttons. Each text block (a paragraph, a
list item, a heading, a div's loose text) is kept or dropped by evidence that holds on any site:

- votes: how much of the block each extractor's text holds (its 4-word runs);
- position: the article runs from the first to the last block the extractors agree on, so
  blocks before it (kickers, section labels, bylines) and after it (popular lists, teasers)
  go; a figure just above the first paragraph is the article's lead picture and stays;
- link density: a block that is mostly link text is navigation;
- short blocks with no sentence take the side of the blocks around them;
- the vocabulary of chrome ("Subscribe", "Sign in", "Most popular", in the page's languages);
- repetition: a caption repeated (thumbnail and enlarged view) is kept once.

Figures, tables, code, formulas and media are judged whole, so an article's own markup is never
cut for a better text score.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from lxml.html import HtmlElement

KEPT_WHOLE = frozenset(("figure", "table", "pre", "picture", "video", "audio", "math", "svg", "img"))
PICTURES = frozenset(("img", "picture", "figure", "svg", "video", "audio"))
INLINE_WHOLE = ("img", "picture", "svg", "math", "video", "audio")  # inside a paragraph: part of it
BLOCKS = frozenset(
    "address article aside blockquote caption dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 "
    "header hr li main nav ol p pre section table td th tr ul center form details summary".split()
)
_UNIT_TAGS = tuple(BLOCKS | KEPT_WHOLE)  # the tags of the elements _is_unit takes (the parser's lower case)
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
HELD = 0.5  # a block is in an extractor's text when this share of its 4-word runs is
LINKS = 0.5  # of a block's words in links, past which it is navigation
GAP_WORDS = 150  # of text no extractor holds, between two parts of what they agree on: two texts
GAP_BLOCKS = 12  # or of such blocks: a list of links, of few words each
TRIMMED = 0.5  # of the span's words, at most, that the blocks fewer extractors hold may be
COVERED = 0.3  # of an element's text, below which the extractors read only a part of it
LINKS_IN_TEXT = 0.1  # of an element's words in links, below which it is no page's chrome
PROSE_WORDS = 15  # a paragraph, not a line
LEAD_WORDS = 80  # of text between a picture and the article's start that still make it the lead
HEAD_WORDS = 12  # a kicker, a dateline or a byline is a line, not a fact box
TEASER_WORDS = 60  # of summary under a teaser's headline
CALL_WORDS = 40  # a longer block that mentions a newsletter is about one
BYLINE_WORDS = 12
# a formula's source, a drawing, and what is never text (left in the tree: the sanitizer drops it)
_UNREAD = frozenset(("annotation", "annotation-xml", "svg", "script", "style", "template"))
_WORD = re.compile(r"\w+")
_SENTENCE = re.compile(r"[.!?…。！？]['\"”’)»]*(?:\s|$)")
# What a page's chrome says, not an article: whole short blocks, or their first words.
_CHROME = re.compile(
    r"^(?:advertisement|advertising|advert|anzeige|publicidad|publicité|pubblicità|werbung|sponsored"
    r"|subscribe|subscribe now|sign in|sign up|log in|login|register|to read the full story"
    r"|read more|continue reading|more stories|most popular|most read|most viewed|trending"
    r"|recommended|recommended for you|related|related articles|related stories|related posts"
    r"|you may also like|you might also like|more from|more on this|see also|share|share this"
    r"|share this article|follow us|newsletter|sign up for our newsletter|comments?|leave a comment"
    r"|image|photo|video|gallery|caption|close|open|menu|toggle|next|previous|prev|back to top"
    r"|inhaltsverzeichnis|table of contents|contents|mehr zum thema|das könnte sie auch interessieren"
    r"|lesen sie auch|auch interessant|meistgelesen|abonnieren|anmelden|teilen"
    r"|leia também|leia mais|veja também|compartilhe|lea también|te puede interesar|compartir"
    r"|à lire aussi|lire aussi|partager|abonnez-vous|se connecter|leggi anche|condividi"
    r"|biography|bio|email|e-mail|contact)\b",
    re.IGNORECASE,
)
_CALL_TO_ACTION = re.compile(  # an imperative opening a sentence, or a newsletter's words anywhere
    r"(?:^|[.!?]\s+)\W*(?:sign up|subscribe|follow (?:us|\w+(?: \w+)? on)|click here|share (?:it|this)"
    r"|tell us what you think|have a tip|abonnieren sie|inscreva-se|suscríbete|abonnez-vous|iscriviti)\b"
    r"|\bnewsletters?\b|\b(?:in|to) your inbox\b|\b(?:may|can) be reached at\b",
    re.IGNORECASE,
)
# a word each call to action above has, to pass most blocks by without the expression
_CALLING = frozenset(
    "sign signing subscribe follow click share tell tip newsletter newsletters inbox reached abonnieren "
    "inscreva suscríbete abonnez iscriviti".split()
)
_BYLINE = frozenset("by and von und par et por y di e biography bio author writer reporter staff".split())
# "1 / 8", "3 of 12", a page's "1 | 2 | 3", a lone number: a gallery's or a list's counters
_COUNTER = re.compile(r"^\W*\d+(?:\s*(?:\W|of|von|de|di)\s*\d+)*\W*$", re.IGNORECASE)


@dataclass
class _Loose:
    """Text loose in an element between two of its blocks: the text after `after` (after the
    element's start when None) and the inline elements up to its next block."""

    after: HtmlElement | None
    inline: list[HtmlElement]


@dataclass
class _Block:
    """A block of text as read, and what it is judged."""

    element: HtmlElement
    words: list[str]
    loose: _Loose | None  # loose text of `element`, not the element (its blocks are their own)
    whole: bool  # a figure, table, code block or formula: judged as one
    heading: bool
    read: str | None = None  # its text, once read
    held: float = 0.0  # the largest share of its runs that one extractor's text holds
    votes: int = 0  # how many extractors' texts hold it
    keep: bool = False
    links: int | None = None  # link_words, once counted

    @property
    def link_words(self) -> int:
        """Its words in links to other pages, counted when first asked: the blocks of a page
        outside the article's element are never judged."""
        if self.links is None:
            self.links = sum(map(_link_words, self.loose.inline if self.loose else [self.element]))
        return self.links


def prune(container: HtmlElement, evidence: list[set[int]], authors: tuple[str, ...] = ()) -> None:
    """Drop from `container` the blocks that are not the article; `evidence` holds each
    extractor's text as 4-word runs, `authors` the names the page's metadata gives (a block of
    those names alone is the byline)."""
    dropped = [block for block in judged(container, evidence, authors) if not block.keep]
    # loose text first: it may be the tail of a block that goes, which a removal would move
    for block in sorted(dropped, key=lambda block: block.loose is None):
        if block.loose is not None or block.element is not container:
            _remove(block)


def judged(container: HtmlElement, evidence: list[set[int]], authors: tuple[str, ...] = ()) -> list[_Block]:
    """The container's blocks in reading order, each marked kept or not."""
    names = {word for name in authors for word in words(name)}
    blocks = list(_blocks(container))
    evidence = [found for found in evidence if found]  # an extractor that found nothing has no vote
    for block in blocks:
        runs = shingles(block.words)
        shares = [len(runs & found) / len(runs) for found in evidence] if runs else []
        block.held = max(shares, default=0.0)
        block.votes = sum(share >= HELD for share in shares)
    span = _article_span(blocks, 1)
    if span is not None and len(evidence) > 1:
        span = _trimmed(blocks, span, len(evidence) // 2 + 1)
    if span is not None:
        span = _extended(blocks, span)
    if span is not None and _covers_little(blocks, span):
        span = (0, len(blocks) - 1)  # the extractors saw a part of the text: the element holds the rest
    if span is None:
        for block in blocks:
            block.keep = True
        return blocks
    first, last = span
    for index, block in enumerate(blocks):
        block.keep = _judge(block, index, span, blocks, names, len(evidence))
    _settle_short(blocks, first, last, names)
    _keep_list_items(blocks, first, last, len(evidence))
    _drop_head(blocks, first, last)
    _drop_teasers(blocks)
    _drop_repeats(blocks)
    return blocks


def _keep_list_items(blocks: list[_Block], first: int, last: int, votes: int) -> None:
    """A list item that is mostly a link, in a list whose other items are the article's text
    (release notes, a reading list with comments), is an item of that list: every extractor
    holding it, it stays. A navigation menu is links throughout."""
    kept_lists = {b.element.getparent() for b in blocks[first : last + 1] if b.keep and b.element.tag == "li"}
    for block in blocks[first : last + 1]:
        if (
            not block.keep
            and block.element.tag == "li"
            and block.votes == votes
            and len(block.words) >= 4
            and block.element.getparent() in kept_lists
            and not _is_chrome(block)
        ):
            block.keep = True


def _drop_head(blocks: list[_Block], first: int, last: int) -> None:
    """Above the article's first sentence, lines with none are its header: a section label, a
    kicker, a dateline, a byline (the exporters print the title and byline from the metadata)."""
    for block in blocks[first : last + 1]:
        if block.whole and block.element.tag.lower() not in PICTURES:
            return  # a table, code or a formula: the article has begun
        if block.whole:
            continue
        if _has_sentence(block) and len(block.words) >= 8:
            return
        if not _has_sentence(block) and len(block.words) <= HEAD_WORDS:
            block.keep = False


def _trimmed(blocks: list[_Block], span: tuple[int, int], need: int) -> tuple[int, int]:
    """The span cut back to the blocks most extractors hold, when what that cuts off is an
    edge (a newsletter box, a teaser list that one extractor took in), not half the article
    (where the extractors found different parts)."""
    first, last = span
    agreed = [i for i in range(first, last + 1) if blocks[i].votes >= need and _anchors(blocks[i])]
    if not agreed:
        return span
    cut = sum(len(b.words) for b in blocks[first : agreed[0]] + blocks[agreed[-1] + 1 : last + 1])
    total = sum(len(b.words) for b in blocks[first : last + 1])
    return (agreed[0], agreed[-1]) if cut <= TRIMMED * total else span


def _anchors(block: _Block) -> bool:
    """A block that can mark where the article starts or ends: text, not the title (h1) and
    not links."""
    linked = block.link_words > LINKS * len(block.words)
    return not block.whole and len(block.words) >= 4 and block.element.tag != "h1" and not linked


def _article_span(blocks: list[_Block], need: int) -> tuple[int, int] | None:
    """The first and last block of the longest run of blocks that `need` extractors hold, a run
    broken where more words that no extractor holds lie between two of them than GAP_WORDS (a
    teaser of the article in a list above it is not where the article starts)."""
    agreed = [i for i, b in enumerate(blocks) if b.votes >= need and _anchors(b)]
    if not agreed:
        return None
    runs: list[list[int]] = [[agreed[0]]]
    for before, after in zip(agreed, agreed[1:], strict=False):
        gap = [b for b in blocks[before + 1 : after] if not b.votes and b.words]
        if sum(len(b.words) for b in gap) > GAP_WORDS or len(gap) > GAP_BLOCKS:
            runs.append([])
        runs[-1].append(after)
    best = max(runs, key=lambda run: sum(len(blocks[i].words) for i in run))
    return best[0], best[-1]


def _covers_little(blocks: list[_Block], span: tuple[int, int]) -> bool:
    """The span holds less than COVERED of the text of an element that has next to no links: a
    page of formulas and loose text, not a page's chrome, that the extractors read a part of."""
    first, last = span
    inside = sum(len(b.words) for b in blocks[first : last + 1])
    words = sum(len(b.words) for b in blocks)
    return inside < COVERED * words and sum(b.link_words for b in blocks) < LINKS_IN_TEXT * words


def _extended(blocks: list[_Block], span: tuple[int, int]) -> tuple[int, int]:
    """The span with the paragraphs the extractors missed at its edges: the lead paragraph above
    it (one, perhaps above a picture, and not a text the page repeats, as a gallery does),
    prose below it."""
    first, last = span
    texts = Counter(" ".join(b.words) for b in blocks)
    lead = first - 1
    while lead > 0 and first - lead <= 4 and (blocks[lead].whole or len(blocks[lead].words) < 4):
        lead -= 1  # over the lead picture and its credit
    if lead >= 0 and _is_prose(blocks[lead]) and texts[" ".join(blocks[lead].words)] == 1:
        first = lead
    while last + 1 < len(blocks) and _is_prose(blocks[last + 1]):
        last += 1
    if last + 1 < len(blocks) and _is_closing(blocks[last + 1]):
        last += 1
    after = last + 1  # pictures under headings of their own: a gallery's or a listicle's last items
    while after < len(blocks) and (_is_picture(blocks[after]) or _is_plain_heading(blocks[after])):
        last = after if _is_picture(blocks[after]) else last
        after += 1
    return first, last


def _is_picture(block: _Block) -> bool:
    return block.whole and block.element.tag.lower() in PICTURES


def _is_plain_heading(block: _Block) -> bool:
    return block.heading and len(block.words) <= HEAD_WORDS and not block.link_words


def _is_closing(block: _Block) -> bool:
    """A word or two that ends a text ("The end", "***"), neither a link nor chrome."""
    return not block.whole and len(block.words) < 4 and not block.link_words and not _is_chrome(block)


def _is_prose(block: _Block) -> bool:
    """Sentences of some length, barely linked: what an article's paragraphs are made of."""
    return (
        not block.whole
        and len(block.words) >= PROSE_WORDS
        and block.link_words <= 0.2 * len(block.words)
        and _has_sentence(block)
        and not _is_call_to_action(block)
    )


def _judge(
    block: _Block, index: int, span: tuple[int, int], blocks: list[_Block], names: set[str], votes: int
) -> bool:
    first, last = span
    if block.whole:
        if block.link_words > LINKS * len(block.words) >= 4 and block.held < HELD:
            return False  # a playlist or a list of teasers in a figure's frame
        if block.words and _is_call_to_action(block):
            return False  # an advertisement for a magazine, as a figure
        if first <= index <= last:
            return True
        if index < first:  # the lead picture: only a title, a kicker and a byline between it and the text
            return sum(len(b.words) for b in blocks[index + 1 : first]) <= LEAD_WORDS
        return not any(b.words for b in blocks[last + 1 : index])  # a picture that ends the article
    if not first <= index <= last:
        return False
    if _is_short(block):
        return True  # decided by its neighbours (_settle_short)
    if block.link_words > LINKS * len(block.words):  # navigation, unless every extractor took it in
        return block.votes == votes and len(block.words) >= 8 and _has_sentence(block)

    if _is_chrome(block) or _is_call_to_action(block) or _is_byline(block, names):
        return False
    if index and blocks[index - 1].whole and blocks[index - 1].element.tag != "table":
        return True  # the caption or credit under a picture
    return block.held >= HELD or (_has_sentence(block) and len(block.words) >= 8)


def _settle_short(blocks: list[_Block], first: int, last: int, names: set[str]) -> None:
    """A block too short to judge by its runs (a subheading, a one-line list item, "Image",
    "1 / 8") stays inside the article unless it is chrome, a counter, a link or a byline."""
    for block in blocks[first : last + 1]:
        if block.whole or not _is_short(block) or not block.keep:
            continue
        block.keep = bool(block.words) and not (
            _is_chrome(block)
            or _COUNTER.match(_text(block))
            or block.link_words > LINKS * len(block.words)
            or _is_byline(block, names)
        )


def _is_short(block: _Block) -> bool:
    """Too short to judge by its runs: a line of a few words, or a subheading."""
    return len(block.words) < 4 or (block.heading and len(block.words) <= HEAD_WORDS)


def _drop_teasers(blocks: list[_Block]) -> None:
    """Other articles' headlines, each a link, with a line or two of summary under each: two or
    more such headings with little text between them are a list of teasers, not the article's
    sections (whose headings are not links). A short heading right above the list is its title."""
    linked = [i for i, b in enumerate(blocks) if _is_linked_heading(b)]
    groups: list[list[int]] = []
    for index in linked:
        if groups and sum(len(b.words) for b in blocks[groups[-1][-1] + 1 : index]) <= TEASER_WORDS:
            groups[-1].append(index)
        else:
            groups.append([index])
    for group in (g for g in groups if len(g) > 1):
        start, end = group[0], group[-1] + 1
        while (
            end < len(blocks)
            and not blocks[end].heading
            and sum(len(b.words) for b in blocks[group[-1] + 1 : end + 1]) <= TEASER_WORDS
        ):
            end += 1
        above = next((i for i in range(start - 1, -1, -1) if not blocks[i].whole), None)
        if above is not None and blocks[above].heading and len(blocks[above].words) <= HEAD_WORDS:
            start = above
        for block in blocks[start:end]:
            block.keep = False


def _is_linked_heading(block: _Block) -> bool:
    """A heading that is mostly a link, that the extractors took in (one they left out sits
    inside the article as a link to another: the text around it is the article's)."""
    linked = block.link_words >= LINKS * len(block.words) > 0
    return block.heading and block.element.tag != "h1" and block.votes > 0 and linked


def _drop_repeats(blocks: list[_Block]) -> None:
    """A caption repeated, under a thumbnail and under its enlarged view: the first stays. A
    caption is a figure's or the text right after a picture; other text may repeat (a recipe's
    steps, an interview's questions)."""
    seen: set[str] = set()
    for index, block in enumerate(blocks):
        if not block.keep or not block.words:
            continue
        key = " ".join(block.words)
        caption = block.whole or block.element.tag == "figcaption" or (index and blocks[index - 1].whole)
        if caption and key in seen and not block.whole:
            block.keep = False
        if caption:
            seen.add(key)
            if block.whole:
                seen.update(" ".join(words(c.text_content())) for c in block.element.iter("figcaption"))


def _is_chrome(block: _Block) -> bool:
    if len(block.words) > 8 or block.held >= HELD and len(block.words) >= 4:
        return False
    text = " ".join(_text(block, " ").split())
    return bool(_CHROME.match(text.strip(" •·|›»-–—:"))) or bool(_COUNTER.match(text))


def _is_call_to_action(block: _Block) -> bool:
    """A short block asking the reader to do something else: subscribe, sign up, follow, share."""
    if len(block.words) > CALL_WORDS or not _CALLING.intersection(block.words):
        return False
    return bool(_CALL_TO_ACTION.search(_text(block)))


def _is_byline(block: _Block, names: set[str]) -> bool:
    """Only the author's names and the words around a byline ("By", "and", "Biography")."""
    return (
        bool(names)
        and len(block.words) <= BYLINE_WORDS
        and all(w in names or w in _BYLINE for w in block.words)
    )


def _has_sentence(block: _Block) -> bool:
    return bool(_SENTENCE.search(_text(block)))


def _text(block: _Block, between: str = "") -> str:
    if not between:
        if block.read is None:
            block.read = _spaced(block, "")
        return block.read
    return _spaced(block, between)


def _spaced(block: _Block, between: str) -> str:
    if block.loose is None:
        return _read(block.element, between)
    lead = block.element.text if block.loose.after is None else block.loose.after.tail
    inline = (_read(child, between) + between + (child.tail or "") for child in block.loose.inline)
    return between.join([lead or "", *inline])


def _blocks(root: HtmlElement) -> Iterator[_Block]:
    """The text blocks of `root` in reading order, figures and tables as one block each, and
    the text loose between an element's blocks as blocks of their own; one walk of the tree,
    whatever its depth (a hostile page's nesting costs no more than its size)."""
    # sets of the elements themselves: an lxml element's id() lasts only while it is referenced
    units = {e for e in root.iter(*_UNIT_TAGS) if e is not root and _is_unit(e)}  # libxml2 finds them
    holding: set[HtmlElement] = set()  # elements with a unit below them
    for unit in units:
        for ancestor in unit.iterancestors():
            if ancestor in holding:
                break
            holding.add(ancestor)
            if ancestor is root:
                break
    stack: list[HtmlElement | _Block] = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, _Block):
            yield item
            continue
        tag = item.tag.lower()
        if tag in KEPT_WHOLE and item is not root:
            yield _Block(item, words(item.text_content()), None, True, False)
        elif item in holding:
            stack.extend(reversed(list(_parts(item, units))))
        else:
            text = _read(item)
            if found := words(text):
                yield _Block(item, found, None, False, tag in HEADINGS, text)


def _parts(element: HtmlElement, units: set[HtmlElement]) -> Iterator[HtmlElement | _Block]:
    """An element's blocks in order, with the loose text between them as blocks."""
    loose = _Loose(None, [])
    for child in [*element, None]:
        if child is None or child in units:
            lead = element.text if loose.after is None else loose.after.tail
            if not loose.inline and (not lead or lead.isspace()):  # most often: nothing between them
                if child is not None:
                    yield child
                    loose = _Loose(child, [])
                continue
            formula = any(True for c in loose.inline for _ in c.iter("math"))  # judged whole, as a table
            block = _Block(element, [], loose, formula, False)
            block.words = words(_text(block))
            if block.words:
                yield block
            if child is not None:
                yield child
                loose = _Loose(child, [])
        else:
            loose.inline.append(child)


def _is_unit(element: HtmlElement) -> bool:
    """A block of its own: a block element, or a picture, table or formula not inside a text's line."""
    if not isinstance(element.tag, str):
        return False
    tag = element.tag.lower()
    if tag in INLINE_WHOLE:
        return not _in_text(element)
    return tag in BLOCKS or tag in KEPT_WHOLE


def _in_text(element: HtmlElement) -> bool:
    """An image or a formula inside a line of text (an icon, an inline formula) goes with it;
    one alone in its paragraph or list item (a thumbnail in a link) is a picture of its own."""
    for ancestor in element.iterancestors():
        tag = ancestor.tag.lower() if isinstance(ancestor.tag, str) else ""
        if tag in BLOCKS:
            return bool(_line(ancestor).strip())
    return False


def _line(element: HtmlElement) -> str:
    """The text of the element's own lines: its nested blocks' text left out."""
    parts = [element.text or ""]
    for child in element:
        nested = isinstance(child.tag, str) and child.tag.lower() in BLOCKS
        parts.append(("" if nested else _read(child)) + (child.tail or ""))
    return "".join(parts)


def _read(element: HtmlElement, between: str = "") -> str:
    """The element's text as read, without formulas' markup (MathML, TeX annotations), which
    no extractor's text holds; `between` its elements' texts (" ": a widget's "Image" and
    "1 / 8" in spans side by side are two words, not "Image1")."""
    if not isinstance(element.tag, str) or element.tag.lower() in _UNREAD:
        return ""
    if not between and next(element.iter(*_UNREAD), None) is None:
        return str(element.text_content())  # read in C, where nothing is left out
    parts = [element.text or ""]
    for child in element:
        parts.append(_read(child, between))
        parts.append(child.tail or "")
    return between.join(parts)


def _link_words(element: HtmlElement) -> int:
    return sum(len(words(a.text_content())) for a in element.iter("a") if _leaves(a))


def _leaves(link: HtmlElement) -> bool:
    """A link to another page: a table of contents' or a footnote's link to a place in this one
    is the article's own."""
    return not (link.get("href") or "").strip().startswith("#")


def _remove(block: _Block) -> None:
    element, loose = block.element, block.loose
    if loose is None:
        if element.getparent() is not None:  # blocks do not nest; a detached one is gone already
            element.drop_tree()
        return
    if loose.after is None:
        element.text = None
    else:
        loose.after.tail = None
    for child in loose.inline:
        child.tail = None
        element.remove(child)


def shingles(found: list[str]) -> set[int]:
    """Each run of four words, hashed: a block is in a text when its runs are (linear, where
    looking for each block's text in the whole text is quadratic on a long page)."""
    return set(runs(found))


def runs(found: list[str]) -> Iterator[int]:
    return map(hash, zip(found, found[1:], found[2:], found[3:], strict=False))


def words(text: str) -> list[str]:
    if not text.isascii() and not unicodedata.is_normalized("NFKC", text):  # a fast check, mostly true
        text = unicodedata.normalize("NFKC", text)
    return _WORD.findall(text.casefold())
