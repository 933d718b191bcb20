"""The article described by a page's JSON-LD (schema.org), reduced to the fields we use."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml.html import HtmlElement

ARTICLE_TYPES = {
    "article",
    "newsarticle",
    "blogposting",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "reviewnewsarticle",
    "backgroundnewsarticle",
    "scholarlyarticle",
    "techarticle",
    "report",
    "socialmediaposting",
    "liveblogposting",
    "medicalwebpage",
    "webpage",
    "itempage",
    "discussionforumposting",
    "recipe",
    "review",
    "creativework",
    "posting",
    "advertisercontentarticle",
    "satiricalarticle",
    "medicalscholarlyarticle",
}
_PAGE_TYPES = {"webpage", "itempage", "creativework"}  # weaker evidence than a real article type
# Wrappers that old pages put around script text: HTML comments and (//-commented) CDATA.
_WRAPPERS = re.compile(r"^\s*(<!--|(//)?\s*<!\[CDATA\[)|(-->|(//)?\s*\]\]>)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class JsonLdArticle:
    type: str
    headline: str | None = None
    name: str | None = None
    authors: tuple[str, ...] = ()
    published: str | None = None
    url: str | None = None
    publisher: str | None = None
    language: str | None = None
    description: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def find_article(tree: HtmlElement) -> JsonLdArticle | None:
    """The most article-like object among the page's JSON-LD blocks, or None."""
    nodes: list[dict[str, Any]] = []
    for script in tree.iter("script"):
        if "ld+json" not in (script.get("type") or "").lower() or not script.text:
            continue
        try:
            data = json.loads(_WRAPPERS.sub("", script.text), strict=False)
        except (ValueError, RecursionError):  # not JSON, or nested past what json reads: not metadata
            continue
        nodes.extend(_flatten(data))
    by_id = {n["@id"]: n for n in nodes if isinstance(n.get("@id"), str)}
    best: tuple[int, dict[str, Any], str] | None = None
    for node in nodes:
        for kind in _types(node):
            if kind not in ARTICLE_TYPES:
                continue
            rank = (1 if kind in _PAGE_TYPES else 3) + (1 if node.get("headline") else 0)
            if best is None or rank > best[0]:
                best = (rank, node, kind)
    if best is None:
        return None
    _, node, kind = best
    return JsonLdArticle(
        type=kind,
        headline=_text(node.get("headline")),
        name=_text(node.get("name")),
        authors=tuple(_names(node.get("author") or node.get("creator"), by_id)),
        published=_text(node.get("datePublished") or node.get("dateCreated") or node.get("uploadDate")),
        url=_url(node.get("url")) or _url(node.get("mainEntityOfPage")),
        publisher=next(iter(_names(node.get("publisher") or node.get("sourceOrganization"), by_id)), None),
        language=_text(node.get("inLanguage")),
        description=_text(node.get("description")),
    )


FLATTEN_DEPTH = 16  # real pages nest an article two or three levels deep (@graph, mainEntity, lists)


def _flatten(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Every object of a JSON-LD block an article may be, to FLATTEN_DEPTH levels: a block nested
    deeper is no page's metadata, and following it would exhaust the recursion."""
    if depth > FLATTEN_DEPTH:
        return
    if isinstance(data, list):
        for item in data:
            yield from _flatten(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _flatten(data["@graph"], depth + 1)
        main = data.get("mainEntity")
        if isinstance(main, (dict, list)):
            yield from _flatten(main, depth + 1)


def _types(node: dict[str, Any]) -> list[str]:
    kind = node.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return [k.lower().rsplit("/", 1)[-1] for k in kinds if isinstance(k, str)]


def _text(value: Any) -> str | None:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, (str, dict))), None)
    if isinstance(value, dict):
        value = value.get("@value") or value.get("name")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    return value.strip() or None if isinstance(value, str) else None


def _url(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("@id") or value.get("url")
    text = _text(value)
    return text if text and text.startswith(("http://", "https://")) else None


def _names(value: Any, by_id: dict[str, dict[str, Any]]) -> list[str]:
    items = value if isinstance(value, list) else [value]
    names: list[str] = []
    for item in items:
        if isinstance(item, dict) and "name" not in item and isinstance(item.get("@id"), str):
            item = by_id.get(item["@id"], item)
        name = _text(item.get("name") if isinstance(item, dict) else item)
        if name and isinstance(item, dict):
            name = _full_name(name, _text(item.get("description")))
        if name and not name.startswith(("http://", "https://")) and name not in names:
            names.append(name)
    return names


_FULL_NAME = re.compile(r"(\w[\w'-]*)((?:\s+[A-Z\u00c0-\u00de][\w'-]+){1,2})\s+(?:ist|is|est|es|è)\b")


def _full_name(name: str, description: str | None) -> str:
    """A person given by first name alone whose description is a biography that opens with the
    full name ("Nils" and "Nils Pickert ist freier Autor ...", as WordPress SEO plugins write it)."""
    if " " in name.strip() or not description:
        return name
    match = _FULL_NAME.match(description.strip())
    return match.group(1) + match.group(2) if match and match.group(1) == name.strip() else name
