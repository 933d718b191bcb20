"""Parsing HTML that may be anything, without losing the part of the page after a flaw.

Two flaws make libxml2 drop text silently: nesting deeper than 255 elements (it stops reading
the document there) and a <title> never closed (the rest of the page becomes the title). Both
are repaired in the markup and parsed again. Characters XML cannot hold are dropped first.
lxml's fragment parser asserts on markup whose
<body> it cannot find; that is bad input, not a bug, and gives an empty fragment.
"""

from __future__ import annotations

import re
from collections import Counter

from lxml import etree
from lxml import html as lxml_html
from lxml.html import HtmlElement

from .charset import xml_safe

MAX_NESTING = 200  # below libxml2's 255, with room for the page's own wrappers
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]*)\b[^>]*?(/?)>")
_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
_XML_DECLARATION = re.compile(r"^\ufeff?\s*<\?xml\b[^>]*\?>", re.IGNORECASE)
_TITLE_START = re.compile(r"<title\b[^>]*>", re.IGNORECASE)
_TITLE_END = re.compile(r"</title\s*>", re.IGNORECASE)


def parse_document(text: str) -> HtmlElement:
    """The page's tree, whatever it starts with: an XML declaration (XHTML saved as such, which
    lxml refuses in a decoded string; the text is decoded already, so it says nothing more)."""
    text = xml_safe(close_title(_XML_DECLARATION.sub("", text, count=1)))  # libxml2 keeps controls in
    parser = html_parser()  # attributes that lxml then refuses to set
    try:
        tree = lxml_html.document_fromstring(text, parser=parser)
    except ValueError:  # any other complaint about the string: libxml2 reads it as UTF-8 bytes
        parser = html_parser(encoding="utf-8")
        tree = lxml_html.document_fromstring(text.encode("utf-8", "replace"), parser=parser)
    if any("Excessive depth" in entry.message for entry in parser.error_log):
        tree = lxml_html.document_fromstring(flatten_nesting(text), parser=html_parser())
    return tree


def html_parser(encoding: str | None = None) -> lxml_html.HTMLParser:
    """lxml.html's parser, with its elements' classes chosen in C: lxml.html picks them in Python
    (form elements get classes of their own), once for every element touched, in our code and
    in trafilatura's, which then spends a quarter less time on a page."""
    parser = lxml_html.HTMLParser(encoding=encoding)
    parser.set_element_class_lookup(
        etree.ElementDefaultClassLookup(
            element=lxml_html.HtmlElement,
            comment=lxml_html.HtmlComment,
            pi=lxml_html.HtmlProcessingInstruction,
            entity=lxml_html.HtmlEntity,
        )
    )
    return parser


def close_title(text: str) -> str:
    """A <title> with no </title> ends where the next tag starts."""
    start = _TITLE_START.search(text)
    if start is None or _TITLE_END.search(text, start.end()):
        return text
    end = text.find("<", start.end())
    return text if end < 0 else text[:end] + "</title>" + text[end:]


def flatten_nesting(markup: str, limit: int = MAX_NESTING) -> str:
    """The markup without the start and end tags of elements nested deeper than `limit`: the
    text inside them stays, in order. Counting is by tags, not by the HTML tree algorithm,
    which is close enough for the pages that need it."""
    pieces: list[str] = []
    depth, position = 0, 0
    dropped: Counter[str] = Counter()
    for match in _TAG.finditer(markup):
        closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(3)
        if name in _VOID or self_closing:
            continue
        if not closing and depth >= limit:
            dropped[name] += 1
        elif closing and dropped[name]:
            dropped[name] -= 1
        else:
            depth += -1 if closing else 1
            depth = max(depth, 0)
            continue
        pieces.append(markup[position : match.start()])
        position = match.end()
    pieces.append(markup[position:])
    return "".join(pieces)


def parse_fragment(markup: str) -> HtmlElement:
    """The markup's elements under one <div>; an empty <div> when lxml can make nothing of it."""
    try:
        return lxml_html.fragment_fromstring(xml_safe(markup), create_parent="div")
    except (AssertionError, etree.ParserError, ValueError):
        return lxml_html.Element("div")
