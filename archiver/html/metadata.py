"""The metadata cascade for HTML: JSON-LD first, then meta tags, then page heuristics.

Each value is recorded with where it came from, because an archive's reader must be able to
tell a publisher's declared date from a guess. Readers for mail and Reader View pages put their
own stronger evidence into the same `Found` before the HTML cascade fills the gaps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice
from typing import Any
from urllib.parse import urldefrag

from lxml.html import HtmlElement

from ..dates import parse_date
from ..runtime import patches
from ..urls import absolute, host, is_web_url
from .charset import xml_safe
from .jsonld import find_article

_SPACE = re.compile(r"\s+")
EXTENSIVE_DATE_SEARCH_CHARS = 2_000_000  # of text: past this, htmldate looks only at the markup
_DOMAIN = re.compile(r"(?:[\w-]+\.)+[a-z]{2,}", re.IGNORECASE)  # "jungefreiheit.de": a site, not a person
# ", PhD" after a name, not a name of its own: "A, PhD; B, MD" is two authors
_CREDENTIAL = re.compile(
    r",\s*(?:Ph\.?\s?D|M\.?D|MBA|MPH|M\.?Sc|B\.?Sc|M\.?A|Esq|RN|DVM|FRCP)\.?(?=\s*(?:[;,&|]|\band\b|$))"
)
_BY = re.compile(r"^\s*(written\s+by|posted\s+by|by|von|par|por|di|door|av|af)\s*:?\s+", re.IGNORECASE)
_TITLE_SEPARATORS = re.compile(r"\s+[|\-\u2013\u2014\u00b7\u203a\u00bb:/\\]\s+")


@dataclass
class Found:
    """Metadata values as they are found, first offer wins, each with its origin."""

    values: dict[str, Any] = field(default_factory=dict)
    origins: dict[str, str] = field(default_factory=dict)

    def offer(self, name: str, value: Any, origin: str) -> None:
        if isinstance(value, str):
            value = _SPACE.sub(" ", xml_safe(value)).strip()
        elif isinstance(value, tuple):
            cleaned = (_SPACE.sub(" ", xml_safe(v)).strip() for v in value)
            value = tuple(dict.fromkeys(v for v in cleaned if v))
        if value in (None, "", (), []) or name in self.values:
            return
        self.values[name] = value
        self.origins[name] = origin

    def get(self, name: str) -> Any:
        return self.values.get(name)


def meta_lists(tree: HtmlElement) -> dict[str, list[str]]:
    """Every <meta> value by lower-cased name, property or itemprop, in the page's order."""
    found: dict[str, list[str]] = {}
    for meta in tree.iter("meta"):
        content = meta.get("content")
        if content is None or not content.strip():
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = meta.get(attr)
            if key:
                for part in key.lower().split():
                    found.setdefault(part, []).append(content.strip())
    return found


def split_authors(text: str) -> list[str]:
    """ "By A, B and C" -> [A, B, C]; keeps "Smith, John" whole when no part has a space."""
    text = _CREDENTIAL.sub("", _BY.sub("", _SPACE.sub(" ", text).strip()))
    parts = re.split(r"\s*(?:;|\||\band\b|\bund\b|\bet\b|&)\s*", text)
    names: list[str] = []
    for part in parts:
        pieces = [p.strip() for p in part.split(",")]
        if len(pieces) > 1 and all(" " in p for p in pieces if p):
            names.extend(pieces)
        else:
            names.append(part.strip())
    return [_BY.sub("", n).strip(" .,") for n in names if n.strip(" .,")]


def html_metadata(tree: HtmlElement, found: Found, url_hint: str | None = None, guess: bool = True) -> Found:
    """Fill `found` from a whole HTML document: what is already there is kept.

    `guess` allows the page heuristics (bylines, site names, dates found in the text), which
    are right for a publisher's page and wrong for a Reader View page or a mail, whose markup
    the browser or the mail client wrote.
    """
    lists = meta_lists(tree)
    meta = {key: values[0] for key, values in lists.items()}  # the first of each name wins
    article = find_article(tree)
    if article is not None:
        origin = f"json-ld:{article.type}"
        name = article.name if article.name != article.publisher else None  # the site's name, not the title
        found.offer("title", _pick_title(article.headline, name, tree), origin + ".headline")
        found.offer(
            "authors", tuple(a for name in article.authors for a in split_authors(name)), origin + ".author"
        )
        found.offer("published", parse_date(article.published), origin + ".datePublished")
        found.offer("outlet", article.publisher, origin + ".publisher")
        found.offer("description", article.description, origin + ".description")

    for key in (
        "dc.title",
        "dcterm:title",
        "og:title",
        "weibo:article:title",
        "title",
        "twitter:title",
        "parsely-title",
        "sailthru.title",
    ):
        found.offer("title", meta.get(key), f"meta:{key}")
    for key in (
        "dc.creator",
        "dcterm:creator",
        "author",
        "parsely-author",
        "sailthru.author",
        "article:author",
        "og:article:author",
        "og:author",
        "byl",
        "dc.contributor",
        "citation_author",
    ):
        values = [
            v
            for v in lists.get(key, [])
            if not v.startswith(("http://", "https://")) and not _DOMAIN.fullmatch(v)
        ]
        # several tags (DC.Creator, citation_author) are one person each: "Jong, Michiel de"
        found.offer(
            "authors",
            tuple(values if len(values) > 1 else split_authors(values[0]) if values else ()),
            f"meta:{key}",
        )
    for key in (
        "article:published_time",
        "og:article:published_time",
        "datepublished",
        "parsely-pub-date",
        "sailthru.date",
        "dc.date.issued",
        "dc.date",
        "dcterms.created",
        "dcterms.date",
        "publish-date",
        "publishdate",
        "pubdate",
        "date",
        "citation_publication_date",
        "article.published",
        "og:published_time",
    ):
        found.offer("published", parse_date(meta.get(key)), f"meta:{key}")
    for key in ("og:site_name", "application-name", "al:ios:app_name", "twitter:app:name:iphone"):
        found.offer("outlet", meta.get(key), f"meta:{key}")
    for key in ("og:description", "description", "twitter:description", "dc.description"):
        found.offer("description", meta.get(key), f"meta:{key}")

    base = url_hint if is_web_url(url_hint) else None
    canonical = next(
        (
            link.get("href")
            for link in tree.iter("link")
            if "canonical" in (link.get("rel") or "").lower().split() and link.get("href")
        ),
        None,
    )
    candidates = (
        (canonical, "link:canonical"),  # first: the page's own word on its address
        (article.url if article else None, f"json-ld:{article.type}.url" if article else "json-ld"),
        (meta.get("og:url"), "meta:og:url"),
        (meta.get("twitter:url"), "meta:twitter:url"),
    )
    declared = [(address, origin) for value, origin in candidates if (address := _address(value, base))]
    if declared:
        chosen, origin = declared[0]
        others = [f"{o} gave {a}" for a, o in declared[1:] if a.rstrip("/") != chosen.rstrip("/")]
        found.offer("url", chosen, origin + (f" (over {'; '.join(others)})" if others else ""))
    if base:
        found.offer("url", base, "saved-page:address")

    root = tree.getroottree().getroot()
    language = root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang")
    found.offer("language", language, "html:lang")
    found.offer("language", meta.get("content-language"), "meta:content-language")
    found.offer("language", (meta.get("og:locale") or "").replace("_", "-"), "meta:og:locale")
    found.offer("language", article.language if article else None, "json-ld:inLanguage")

    _page_heuristics(tree, found, guess)
    _cut_site_name(found)
    return found


def _cut_site_name(found: Found) -> None:
    """A title written "Headline | Site" (og:title often is), where the page names its site on
    its own too (og:site_name, a publisher): the headline alone, as the article's header shows
    the site beside it."""
    title, outlet = found.get("title"), found.get("outlet")
    last = list(_TITLE_SEPARATORS.finditer(title or ""))
    if title and outlet and last and _norm(title[last[-1].end() :]) == _norm(outlet):
        headline = title[: last[-1].start()].strip()
        if len(headline) > len(outlet):  # not a short section name before a long site name
            found.values["title"] = headline
            found.origins["title"] += " (site name cut)"


def _address(value: str | None, base: str | None) -> str | None:
    """A declared address made absolute, without its fragment ("#webpage" names a JSON-LD node)."""
    url = absolute(value, base) if value else None
    return urldefrag(url).url if url is not None and is_web_url(url) else None


def _pick_title(headline: str | None, name: str | None, tree: HtmlElement) -> str | None:
    """JSON-LD pages often give both; the one closer to the page's <title> is the article's."""
    if not headline or not name or headline == name:
        return headline or name
    page_title = _norm(_title_text(tree) or "")
    return headline if _overlap(headline, page_title) >= _overlap(name, page_title) else name


def _page_heuristics(tree: HtmlElement, found: Found, guess: bool) -> None:
    """What the page says without declaring it: trafilatura's author and site-name heuristics,
    htmldate's date search, the <title>, the first <h1>, and the address's host."""
    from trafilatura.metadata import extract_author, extract_sitename

    title = _title_text(tree)
    if title:
        found.offer(
            "title", _headline_in(title, found.get("outlet"), tree, found.get("description")), "html:title"
        )
    h1 = next((h for h in tree.iter("h1")), None)
    if h1 is not None:
        found.offer("title", h1.text_content(), "html:h1")
    if guess:
        # a publication named as its own author ("Interscenario" on interscenar.io): a byline
        # on the page, when there is one, names the person
        deferred = _site_as_author(found, host(found.get("url")))
        found.offer("authors", tuple(split_authors(_byline(tree) or "")), "page:byline")
        if deferred is not None:
            found.offer("authors", *deferred)
    if guess and "authors" not in found.values:
        author = extract_author(tree)
        if author and not _only_in_comments(tree, author):
            found.offer(
                "authors", tuple(split_authors(author.replace(";", ","))), "page:byline (trafilatura)"
            )
    if guess and "outlet" not in found.values:
        found.offer("outlet", extract_sitename(tree), "page:site-name (trafilatura)")
    shown = _date_under_headline(tree) if guess else None
    declared = found.get("published")
    if shown is not None and declared is not None and found.origins["published"].startswith("meta:"):
        if (declared.date() if isinstance(declared, datetime) else declared) != shown:
            # a meta tag's date that the article's own header contradicts: the header is what
            # the reader was shown (a draft's creation time, another time zone)
            found.values.pop("published")
            found.offer("published", shown, "page:date under the headline")
    if guess and "published" not in found.values:
        found.offer("published", _htmldate(tree, found.get("url")), "page:date (htmldate)")
    hostname = host(found.get("url"))
    if hostname and "outlet" not in found.values:
        found.offer("outlet", _site_name_in(title or "", hostname), "html:title (names the host)")
        found.offer(
            "outlet", _site_name_in(tree.text_content()[:100_000], hostname), "page:text (names the host)"
        )
    found.offer("outlet", hostname, "url:host")


_BYLINE_HINT = re.compile(r"byline|writtenby|(?:^|[-_\s])authors?(?:$|[-_\s]|name)", re.IGNORECASE)
_IN_COMMENTS = re.compile(r"comment|discuss|reply|respond", re.IGNORECASE)  # readers' names, not authors'
_AUTHOR_PAGE = re.compile(r"/(?:authors?|autor|auteur)[\w-]*/[^/?#]+/?$", re.IGNORECASE)


def _byline(tree: HtmlElement) -> str | None:
    """The first short element marked as the author's (rel=author, itemprop=author, a class or id
    saying byline/author, as Readability looks for it, or a link to an author's page), its
    itemprop=name part where it has one."""
    for element in tree.iter():
        if not isinstance(element.tag, str) or element.tag in (
            "meta",
            "link",
            "script",
            "style",
            "body",
            "html",
        ):
            continue
        marked = (
            element.get("rel") == "author"
            or "author" in (element.get("itemprop") or "").split()
            or _BYLINE_HINT.search(_class_and_id(element))
            or (element.tag == "a" and _AUTHOR_PAGE.search(element.get("href") or ""))
        )
        if not marked or any(
            _IN_COMMENTS.search(_class_and_id(e)) for e in (element, *element.iterancestors())
        ):
            continue
        named = next((e for e in element.iter() if "name" in (e.get("itemprop") or "").split()), element)
        text = _SPACE.sub(" ", named.text_content()).strip()
        if 0 < len(text) < 100 and any(c.isalpha() for c in text):
            return text
    return None


def _site_as_author(found: Found, hostname: str | None) -> tuple[tuple[str, ...], str] | None:
    """Takes back the authors found so far when they are the site's name; returns them."""
    authors = found.get("authors")
    sites = {_letters(found.get("outlet") or ""), _letters((hostname or "").removeprefix("www."))} - {""}
    if not authors or not all(_letters(name) in sites for name in authors):
        return None
    return found.values.pop("authors"), found.origins.pop("authors")


def _letters(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


def _only_in_comments(tree: HtmlElement, name: str) -> bool:
    """Whether every mention of `name` on the page is inside its comments: a reader, not the author."""
    comments = {e for e in tree.iter() if isinstance(e.tag, str) and _IN_COMMENTS.search(_class_and_id(e))}
    outermost = [e for e in comments if not any(a in comments for a in e.iterancestors())]
    inside = sum(str(e.text_content()).count(name) for e in outermost)
    return inside > 0 and inside >= str(tree.text_content()).count(name)


def _class_and_id(element: HtmlElement) -> str:
    return f"{element.get('class') or ''} {element.get('id') or ''}"


_CAPITALIZED_RUN = re.compile(r"(?:[A-Z0-9][\w'’&.!-]*)(?:[ \t]+[A-Z0-9][\w'’&.!-]*){0,4}")


def site_label(hostname: str) -> str | None:
    """The part of a host name that names the site: "www.theverge.com" -> "theverge"."""
    labels = [label for label in hostname.lower().split(".") if label not in ("www", "m", "amp", "mobile")]
    if len(labels) >= 3 and labels[-2] in ("co", "com", "org", "net", "ac", "gov"):
        labels = labels[:-1]
    return labels[-2] if len(labels) >= 2 else None


def _site_name_in(text: str, hostname: str) -> str | None:
    """A capitalized phrase whose letters spell the site's host name ("The Verge" for
    theverge.com): how the site writes its own name, which the address alone cannot give."""
    label = site_label(hostname)
    if not label or len(label) < 4:
        return None
    key = re.sub(r"[^a-z0-9]", "", label)
    for run in _CAPITALIZED_RUN.findall(text):
        words = run.split()
        for start in range(len(words)):
            for end in range(start + 1, min(len(words), start + 4) + 1):
                phrase = " ".join(words[start:end]).strip(".!-")
                if re.sub(r"[^a-z0-9]", "", phrase.casefold()) == key:
                    return phrase
    return None


_SHOWN_DATE = re.compile(
    r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4})(?!\d)|(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)"
)


def _date_under_headline(tree: HtmlElement) -> date | None:
    """A numeric date in the first lines after the page's <h1>: the article's header."""
    h1 = next(tree.iter("h1"), None)
    if h1 is None:
        return None
    text = " ".join(str(t) for t in h1.xpath("following::text()[normalize-space()][position() <= 12]"))[:400]
    match = _SHOWN_DATE.search(text)
    if match is None:
        return None
    day, month, year = (match.group(1, 2, 3)) if match.group(1) else match.group(6, 5, 4)
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def _htmldate(tree: HtmlElement, url: str | None) -> date | datetime | None:
    from htmldate import find_date

    # its search of the whole text (every number that could be a date) is minutes on a book
    # saved as one page; the markup's dates are searched on any page
    extensive = len(tree.text_content()) < EXTENSIVE_DATE_SEARCH_CHARS
    try:  # htmldate (1.11) prunes a copy of a tree it is given, never the tree
        with patches.applied(patches.DATE_PARSER):
            text = find_date(tree, original_date=True, extensive_search=extensive, url=url)
    except (ValueError, TypeError):
        return None
    return parse_date(text)


def _title_text(tree: HtmlElement) -> str | None:
    title = next((t for t in tree.iter("title")), None)
    return title.text_content().strip() if title is not None and title.text_content().strip() else None


def _headline_in(title: str, outlet: str | None, tree: HtmlElement, description: str | None) -> str:
    """ "Site - Headline - Section - News" -> "Headline", the piece that the page also shows as a
    heading or gives as its description; else the title without its site name."""
    pieces = _TITLE_SEPARATORS.split(title)
    if len(pieces) > 2:
        shown = {_norm(h.text_content()) for h in islice(tree.iter("h1", "h2", "h3"), 50)}
        shown.add(_norm(description or ""))
        found = [piece for piece in pieces if _norm(piece) in shown]
        if len(found) == 1:
            return found[0]
    return _strip_site_name(title, outlet)


def _strip_site_name(title: str, outlet: str | None) -> str:
    """ "Headline | Site" -> "Headline" when the site name is known."""
    if not outlet:
        return title
    pieces = _TITLE_SEPARATORS.split(title)
    if len(pieces) > 1:
        if _norm(pieces[-1]) == _norm(outlet):
            return " - ".join(pieces[:-1]) if len(pieces) > 2 else pieces[0]
        if _norm(pieces[0]) == _norm(outlet):
            return pieces[-1] if len(pieces) == 2 else title
    return title


def _norm(text: str) -> str:
    return _SPACE.sub(" ", text).strip().casefold()


def _overlap(a: str, b: str) -> float:
    words_a, words_b = set(_norm(a).split()), set(b.split())
    return len(words_a & words_b) / max(1, len(words_a))
