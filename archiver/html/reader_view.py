"""Firefox Reader View pages (about:reader), also after a mail client has prefixed every class.

Reader View already did the content extraction: its header holds the page's address, title,
byline and (in recent versions) date, and `moz-reader-content` holds the clean article. Mail
clients rename classes when the page is pasted into a message (Gmail writes `gmail-reader-title`),
so classes are matched by suffix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree
from lxml.html import HtmlElement

_ROLES = (
    "moz-reader-content",
    "reader-title",
    "reader-domain",
    "reader-credits",
    "reader-estimated-time",
    "reader-header",
    "reader-toolbar",
    "reader-controls",
    "reader-footer",
    "reader-message",
    "toolbar-container",
    "reader-show-element",
)
CONTENT = "moz-reader-content"  # in every Reader View page's markup: where it is not, no page is one
_CLASS = re.compile(r"(?:^|[\w-]*-)(" + "|".join(_ROLES) + r")$")
_MAYBE_ROLES = etree.XPath("//*[contains(@class, 'reader-') or contains(@class, 'toolbar-container')]")
MARKERS = re.compile(rb"(?:[\w-]-|[\s\"'])(moz-reader-content|reader-title)[\s\"']")


@dataclass(frozen=True)
class ReaderView:
    content: HtmlElement
    title: str | None
    url: str | None
    domain: str | None
    credits: str | None
    meta_line: str | None  # the line under the credits: a date, or a reading time
    language: str | None
    header: HtmlElement | None


def find(tree: HtmlElement, markup: str | None = None) -> ReaderView | None:
    """The Reader View structure in `tree`, or None when it is not a Reader View page. With the
    `markup` it was parsed from, a page that never names CONTENT is passed by without the scan of
    its classes (a millisecond a page)."""
    if markup is not None and CONTENT not in markup:
        return None
    roles: dict[str, HtmlElement] = {}
    for element in _MAYBE_ROLES(tree):  # XPath first: matching every class of a page is slow
        for token in element.get("class", "").split():
            match = _CLASS.match(token)
            if match and match.group(1) not in roles:
                roles[match.group(1)] = element
    content = roles.get(CONTENT)
    if content is None:
        return None
    domain = roles.get("reader-domain")
    container = _ancestor_with_lang(content)
    return ReaderView(
        content=content,
        title=_text(roles.get("reader-title")),
        url=domain.get("href") if domain is not None else None,
        domain=_text(domain),
        credits=_text(roles.get("reader-credits")),
        meta_line=_text(roles.get("reader-estimated-time")),
        language=container.get("lang") if container is not None else None,
        header=roles.get("reader-header"),
    )


def _text(element: HtmlElement | None) -> str | None:
    if element is None:
        return None
    text = " ".join(element.text_content().split())
    return text or None


def _ancestor_with_lang(element: HtmlElement) -> HtmlElement | None:
    node: HtmlElement | None = element
    while node is not None:
        if node.get("lang"):
            return node
        node = node.getparent()
    return None
