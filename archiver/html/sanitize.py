"""HTML to a clean XHTML fragment that an EPUB, a PDF renderer and a WARC can all carry.

An allowlist, not a denylist: elements we do not know are unwrapped (their text kept), elements
that run code, fetch things or collect input are dropped with their content, and only a few
attributes survive. Images are resolved here, so the body only ever refers to resources the
article holds, or shows a placeholder that names the original address.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from lxml import etree
from lxml.html import HtmlElement

from ..images.blank import is_blank
from ..images.in_html import candidates, is_placeholder_src, is_tracking_pixel
from ..images.resolve import Resolver
from ..model import Resource, ResourceStatus
from ..urls import LINK_SCHEMES, absolute, normalize_href, scheme
from .charset import xml_safe

MAX_DEPTH = 100  # deeper nesting is flattened: no article needs it, and WeasyPrint fails near 150

DROP = frozenset(
    [
        "script",
        "style",
        "noscript",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "form",
        "input",
        "button",
        "select",
        "option",
        "optgroup",
        "textarea",
        "template",
        "svg",
        "math",
        "canvas",
        "audio",
        "video",
        "source",
        "track",
        "map",
        "area",
        "link",
        "meta",
        "base",
        "title",
        "head",
        "nav",
        "dialog",
        "portal",
        "datalist",
        "output",
        "progress",
        "meter",
        "slot",
    ]
)
KEEP = frozenset(
    [
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "blockquote",
        "br",
        "caption",
        "cite",
        "code",
        "col",
        "colgroup",
        "dd",
        "del",
        "details",
        "dfn",
        "div",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "q",
        "rp",
        "rt",
        "ruby",
        "s",
        "samp",
        "section",
        "article",
        "aside",
        "header",
        "footer",
        "small",
        "span",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "time",
        "tr",
        "u",
        "ul",
        "var",
        "wbr",
    ]
)
RENAME = {
    "center": "div",
    "main": "div",
    "tt": "code",
    "strike": "s",
    "listing": "pre",
    "xmp": "pre",
    "plaintext": "pre",
    "big": "span",
    "font": "span",
    "blink": "span",
    "marquee": "span",
    "hgroup": "div",
    "address": "div",
    "picture": None,
}
PHRASING = frozenset(
    [
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "br",
        "cite",
        "code",
        "del",
        "dfn",
        "em",
        "i",
        "img",
        "ins",
        "kbd",
        "mark",
        "q",
        "rp",
        "rt",
        "ruby",
        "s",
        "samp",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "time",
        "u",
        "var",
        "wbr",
    ]
)
PHRASING_ONLY_PARENTS = PHRASING | frozenset(
    ["p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "caption", "dt", "summary"]
)
VOID = frozenset(("br", "hr", "img", "wbr", "col"))
VOID_DROPPED = frozenset(
    ("embed", "source", "track", "link", "meta", "base", "input", "area", "param", "keygen")
)
GLOBAL_ATTRS = ("id", "lang", "dir", "title")
ATTRS = {
    "a": ("href",),
    "img": ("alt", "width", "height"),
    "td": ("colspan", "rowspan", "headers"),
    "th": ("colspan", "rowspan", "scope", "headers", "abbr"),
    "ol": ("start", "reversed", "type"),
    "li": ("value",),
    "time": ("datetime",),
    "blockquote": ("cite",),
    "q": ("cite",),
    "col": ("span",),
    "colgroup": ("span",),
    "del": ("datetime",),
    "ins": ("datetime",),
    "details": ("open",),
}
CONTEXT_PARENTS = {
    "li": ("ul", "ol", "menu"),
    "dt": ("dl", "div"),
    "dd": ("dl", "div"),
    "figcaption": ("figure",),
    "tr": ("table", "tbody", "thead", "tfoot"),
    "td": ("tr",),
    "th": ("tr",),
    "tbody": ("table",),
    "thead": ("table",),
    "tfoot": ("table",),
    "caption": ("table",),
    "col": ("colgroup", "table"),
    "colgroup": ("table",),
}
ALLOWED_CHILDREN = {
    "ul": ("li",),
    "ol": ("li",),
    "table": ("caption", "colgroup", "thead", "tbody", "tfoot", "tr"),
    "thead": ("tr",),
    "tbody": ("tr",),
    "tfoot": ("tr",),
    "tr": ("td", "th"),
}
CONTAINERS = frozenset(["div", "span", "section", "article", "aside", "header", "footer"])
_NCNAME = re.compile(r"^[A-Za-z_][\w.-]*$")
_NUMBER = re.compile(r"^\d{1,5}$")
_SPACE = re.compile(r"\s+")
_CSS_URL = re.compile(r"background(?:-image)?\s*:[^;]*?url\(\s*['\"]?([^'\")]+)['\"]?\s*\)", re.IGNORECASE)


@dataclass(frozen=True)
class CleanResult:
    body: str
    resources: tuple[Resource, ...]
    warnings: tuple[str, ...]


def clean(root: HtmlElement, resolver: Resolver, base_url: str | None) -> CleanResult:
    """The XHTML fragment for the children of `root`, with its images resolved."""
    cleaner = _Cleaner(resolver, base_url)
    out = etree.Element("div")
    cleaner.copy_children(root, out, depth=0, phrasing=False)
    cleaner.fix_fragment_links(out)
    _prune_empty(out)
    _fix_definition_lists(out)
    _fix_details(out)
    body = (
        (
            etree.tostring(out, encoding="unicode", method="xml", with_tail=False)
            .removeprefix("<div>")
            .removesuffix("</div>")
        )
        if len(out) or out.text
        else ""
    )
    if body == "<div/>":
        body = ""
    return CleanResult(body.strip(), tuple(cleaner.resources), tuple(cleaner.warnings()))


class _Cleaner:
    def __init__(self, resolver: Resolver, base_url: str | None) -> None:
        self.resolver = resolver
        self.base_url = base_url
        self.resources: list[Resource] = []  # one per image shown, in order; equal refs share bytes
        self.ids: set[str] = set()
        self.problems: Counter[str] = Counter()
        self.math_alts: set[str] = set()  # the TeX of formulas kept as text: their images are fallbacks

    def warnings(self) -> list[str]:
        return [f"{text} (x{count})" if count > 1 else text for text, count in self.problems.items()]

    # -- tree walk ---------------------------------------------------------------------------

    def copy_children(self, source: HtmlElement, target: etree._Element, depth: int, phrasing: bool) -> None:
        _append_text(target, source.text)
        for child in source:
            if not isinstance(child.tag, str):  # comments, processing instructions
                _append_text(target, child.tail)
                continue
            self.copy_element(child, target, depth + 1, phrasing)
            _append_text(target, child.tail)

    def copy_element(self, element: HtmlElement, target: etree._Element, depth: int, phrasing: bool) -> None:
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if ":" in tag or "}" in tag:
            tag = ""  # namespaced leftovers (o:p, v:shape) carry nothing readable
        if tag == "math":
            self.copy_math(element, target)
            return
        if tag in DROP:
            if tag in VOID_DROPPED:  # libxml2 (HTML 4) does not know these are empty: what it put
                self.copy_children(element, target, depth, phrasing)  # inside them is the page's
            return
        if tag == "img":
            self.copy_image(element, target, phrasing)
            return
        if tag in RENAME:
            renamed = RENAME[tag]
            if renamed is None:
                self.copy_children(element, target, depth, phrasing)
                return
            tag = renamed
        if tag not in KEEP or depth > MAX_DEPTH:
            self.copy_children(element, target, depth, phrasing)
            return
        if target.tag in ALLOWED_CHILDREN and tag not in ALLOWED_CHILDREN[target.tag]:
            if tag in CONTAINERS:  # a <div> straight inside a list or table: keep what it holds
                self.copy_children(element, target, depth, phrasing)
                return
            if target.tag in ("ul", "ol"):
                target = etree.SubElement(target, "li")
            else:
                self.copy_children(element, target, depth, phrasing)
                return
        allowed_parents = CONTEXT_PARENTS.get(tag)
        if allowed_parents and target.tag not in allowed_parents:
            tag = "span" if phrasing else "div"  # a list item or cell torn from its list or table
        if phrasing and tag not in PHRASING:
            if tag in ("hr",):
                return
            tag = "span"  # block content inside a paragraph or heading: keep the text inline
        if tag == "a" and _inside(target, "a"):
            self.copy_children(element, target, depth, phrasing)
            return
        if tag in ("header", "footer") and any(_inside(target, t) for t in ("header", "footer", "address")):
            tag = "div"  # a page's header holding a byline's footer: HTML allows neither inside the other
        self.keep_background(element)
        new = etree.SubElement(target, tag)
        self.copy_attributes(element, new, tag)
        if tag == "a" and "href" not in new.attrib:
            new.tag = "span"
        if tag not in VOID:
            if tag == "pre":
                _append_text(new, element.text)
                for child in element:
                    if isinstance(child.tag, str):
                        self.copy_element(child, new, depth + 1, True)
                    _append_text(new, child.tail)
            else:
                self.copy_children(element, new, depth, phrasing or tag in PHRASING_ONLY_PARENTS)

    def copy_attributes(self, element: HtmlElement, new: etree._Element, tag: str) -> None:
        for name in GLOBAL_ATTRS + ATTRS.get(tag, ()):
            value = element.get(name)
            if value is None:
                continue
            value = xml_safe(value).strip()
            if name == "id":
                if not _NCNAME.match(value) or value in self.ids:
                    continue
                self.ids.add(value)
            elif name in ("href", "cite"):
                value = self.safe_link(value) or ""
                if not value:
                    continue
            elif name in ("width", "height", "colspan", "rowspan", "start", "span", "value"):
                value = value.removesuffix("px")
                if not _NUMBER.match(value):
                    continue
            elif name == "dir" and value.lower() not in ("ltr", "rtl", "auto"):
                continue
            elif name == "datetime" and not _DATETIME.match(value):
                continue  # what a page writes there is often not a date HTML accepts
            elif name in ("reversed", "open"):
                value = name
            new.set(name, value)

    def safe_link(self, href: str) -> str | None:
        href = href.strip()
        if not href:
            return None  # "" would resolve to the page itself: extractors empty javascript: links so
        if href.startswith("#"):
            return href if len(href) > 1 and _NCNAME.match(href[1:]) else None
        kind = scheme(href)
        if kind is None:
            resolved = absolute(href, self.base_url)
            return normalize_href(resolved) if resolved else None
        return normalize_href(href) if kind in LINK_SCHEMES else None

    # -- formulas ----------------------------------------------------------------------------

    def copy_math(self, math: HtmlElement, target: etree._Element) -> None:
        """A MathML formula as text: its TeX where the page gives it (`alttext`, or a TeX
        annotation), else its tokens in order. Not MathML itself: no reader of the PDF renders
        it, and the text is what a reader searches and quotes. An image beside it with the same
        TeX as alt text is its fallback rendering, and is left out."""
        alt = (math.get("alttext") or "").strip()
        tex = _tex(alt) or alt
        for annotation in math.iter("annotation"):
            if "tex" in (annotation.get("encoding") or "").lower() and not tex:
                tex = (annotation.text or "").strip()
        tokens = [
            " ".join(node.text.split())
            for node in math.iter()
            if isinstance(node.tag, str)
            and node.tag.lower() in ("mi", "mn", "mo", "mtext", "ms")
            and node.text
            and node.text.strip()
        ]
        text = tex or " ".join(tokens)
        if not text:
            return
        self.math_alts.add(alt)
        _formula(target, text)

    # -- images ------------------------------------------------------------------------------

    def copy_image(self, img: HtmlElement, target: etree._Element, phrasing: bool) -> None:
        if (img.get("alt") or "").strip() in self.math_alts - {""}:
            return  # a formula's fallback rendering; the formula is kept as text
        if is_tracking_pixel(img):
            return
        refs = candidates(img)
        if not refs:
            return
        chosen = self.choose(refs)
        alt = xml_safe(_SPACE.sub(" ", img.get("alt", "")).strip())
        tex = _tex(alt)
        if tex is not None and chosen.status is not ResourceStatus.EMBEDDED:
            _formula(target, tex)  # a formula drawn as an image (MediaWiki's), not at hand: its TeX
            return
        self.resources.append(chosen)
        if chosen.status is ResourceStatus.EMBEDDED and chosen.name:
            new = etree.SubElement(target, "img", src=chosen.name, alt=alt)
            for name in ("width", "height"):
                value = img.get(name, "").strip().removesuffix("px")
                if _NUMBER.match(value):
                    new.set(name, value)
            return
        if chosen.status is ResourceStatus.REMOTE:
            self.problems["remote images not fetched (use --fetch to embed them)"] += 1
        else:
            self.problems[f"image {_short(chosen.ref)} missing: {chosen.reason}"] += 1
        self.placeholder(target, chosen, alt, phrasing)

    def keep_background(self, element: HtmlElement) -> None:
        """Mail layouts show images as table or body backgrounds (`background=`, CSS url()).
        The styling is not kept, but the image is part of what was sent: keep its bytes."""
        refs = [element.get("background", "")] + _CSS_URL.findall(element.get("style", ""))
        for ref in (r.strip() for r in refs):
            if ref:
                resource = self.resolver.resolve(ref)
                if resource.status is ResourceStatus.EMBEDDED:
                    self.resources.append(resource)

    def choose(self, refs: list[str]) -> Resource:
        """The first candidate that embeds a real image; otherwise the best candidate,
        unresolved. A placeholder (a lazy loader's empty SVG or transparent pixel, a spacer)
        beside another candidate is never the image: embedded, it prints a blank box the size
        of the photograph; alone, it is what the page shows."""
        placeholder: Resource | None = None
        unresolved: Resource | None = None
        for ref in refs:
            resource = self.resolver.resolve(ref)
            if resource.status is ResourceStatus.EMBEDDED:
                named = not ref.startswith("data:") and is_placeholder_src(ref)  # "spacer.gif", "loading.gif"
                if not named and not is_blank(resource):
                    return resource
                placeholder = placeholder or resource
            elif unresolved is None:
                unresolved = resource
        return unresolved or placeholder  # type: ignore[return-value]

    def placeholder(self, target: etree._Element, resource: Resource, alt: str, phrasing: bool) -> None:
        """Alt text and the original address where the image would be: never a dangling src."""
        label = f"[Image: {alt}]" if alt else "[Image]"
        shown = resource.ref if not resource.ref.startswith("data:") else "inline data"
        inline = phrasing or target.tag == "figure"
        holder = etree.SubElement(target, "span" if inline else "figure")
        holder.set("class", "missing-image")
        text = etree.SubElement(holder, "span" if inline else "p")
        text.text = label + " "
        href = normalize_href(resource.ref) if scheme(resource.ref) in ("http", "https") else None
        if href and not _inside(target, "a"):
            link = etree.SubElement(
                text if inline else etree.SubElement(holder, "figcaption"), "a", href=xml_safe(href)
            )
            link.text = xml_safe(_short(shown, 80))
        else:
            (text if inline else etree.SubElement(holder, "figcaption")).text = (
                text.text if inline else ""
            ) + xml_safe(_short(shown, 80))

    # -- links -------------------------------------------------------------------------------

    def fix_fragment_links(self, root: etree._Element) -> None:
        """Keep only the ids that links in the article point to (the rest are page or mail-client
        scaffolding, and would collide between articles), and unlink links whose target is gone."""
        targets = {a.get("href", "")[1:] for a in root.iter("a") if a.get("href", "").startswith("#")}
        for element in root.iter():
            if element.get("id") is not None and element.get("id") not in targets:
                del element.attrib["id"]
        for link in root.iter("a"):
            href = link.get("href", "")
            if href.startswith("#") and href[1:] not in self.ids:
                del link.attrib["href"]
                link.tag = "span"


def _append_text(target: etree._Element, text: str | None) -> None:
    if not text:
        return
    text = xml_safe(text)
    last = next(target.iterchildren(reversed=True), None)  # len() counts every child: quadratic
    if last is not None:
        last.tail = (last.tail or "") + text
    else:
        target.text = (target.text or "") + text


# HTML's valid date, month, year, time, local and global date-time strings (the forms pages use)
_DATETIME = re.compile(
    r"^(\d{4,}(-\d{2}(-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?)?)?)?"
    r"|\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?)$"
)


def _inside(element: etree._Element, tag: str) -> bool:
    node: etree._Element | None = element
    while node is not None:
        if node.tag == tag:
            return True
        node = node.getparent()
    return False


_DISPLAYSTYLE = re.compile(r"^\{\\displaystyle\s*(.*)\}$", re.S)
_TEX_COMMAND = re.compile(r"\\[a-zA-Z]+")


def _formula(target: etree._Element, text: str) -> None:
    formula = etree.SubElement(target, "span")
    formula.set("class", "math")
    formula.text = xml_safe(text)


def _tex(alt: str) -> str | None:
    """The TeX of a formula image's alt text, MediaWiki's {\\displaystyle ...} wrapper left off;
    None when the alt text is not TeX."""
    text = alt.strip()
    wrapped = _DISPLAYSTYLE.match(text)
    if wrapped:
        return wrapped.group(1).strip()
    return text if text.startswith("\\") and _TEX_COMMAND.match(text) else None


def _prune_empty(root: etree._Element) -> None:
    """Empty paragraphs, spans and divs are what mail clients and lazy loaders leave behind."""
    for element in reversed(
        list(root.iter("p", "span", "div", "section", "b", "strong", "i", "em", "a", "li"))
    ):
        if element is root or len(element) or (element.text and element.text.strip()) or element.get("id"):
            continue
        if element.tag == "li" or (element.tag == "a" and element.get("href") and (element.text or "")):
            continue
        parent = element.getparent()
        if parent is None:
            continue
        if element.tail:
            previous = element.getprevious()
            if previous is not None:
                previous.tail = (previous.tail or "") + element.tail
            else:
                parent.text = (parent.text or "") + element.tail
        parent.remove(element)


def _fix_details(root: etree._Element) -> None:
    """HTML wants a <details> to open with its <summary>; one without (a page's, or one whose
    summary was chrome) becomes a plain block, which every reader shows open."""
    for details in list(root.iter("details")):
        first = next(iter(details), None)
        if first is None or first.tag != "summary" or (details.text or "").strip():
            details.tag = "div"
            details.attrib.pop("open", None)
            for summary in details.iter("summary"):
                summary.tag = "p"


def _fix_definition_lists(root: etree._Element) -> None:
    """HTML wants each <dl> group as terms then descriptions; pages often start with a <dd>
    or mix in other elements. Those lists become plain blocks, which every reader accepts."""
    for dl in list(root.iter("dl")):
        tags = [child.tag for child in dl]
        groups = (
            [tags] if "div" not in tags else [[c.tag for c in child] for child in dl if child.tag == "div"]
        )
        if all(_valid_group(group) for group in groups) and ("div" not in tags or set(tags) == {"div"}):
            continue
        dl.tag = "div"
        for child in dl.iter("dt", "dd"):
            child.tag = "p" if child.tag == "dt" else "div"
    for stray in list(root.iter("dt", "dd")):  # outside any list (a page's "<dd>" in a sentence)
        parent = stray.getparent()
        if parent is not None and parent.tag != "dl" and not (parent.tag == "div" and _in_list(parent)):
            stray.tag = "span" if parent.tag in _PHRASING_PARENTS else "div"


_PHRASING_PARENTS = frozenset(
    "p h1 h2 h3 h4 h5 h6 pre span a em strong b i u s q code small sub sup cite mark time".split()
)


def _in_list(div: etree._Element) -> bool:
    parent = div.getparent()
    return parent is not None and parent.tag == "dl"


def _valid_group(tags: list[str]) -> bool:
    """(dt+ dd+)+"""
    text = "".join("t" if t == "dt" else "d" if t == "dd" else "x" for t in tags)
    return bool(re.fullmatch(r"(t+d+)+", text))


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
