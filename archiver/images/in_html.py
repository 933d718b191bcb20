"""Which address an <img> really shows: lazy-loading attributes, srcset, <picture> and <noscript>.

Pages rarely put the real image in `src`: lazy loaders keep it in data-* attributes, responsive
markup in srcset or <picture>, and scripts-off fallbacks in <noscript>. This module only ranks
candidates; the sanitizer resolves them in that order.
"""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from ..html.tree import parse_fragment

LAZY_ATTRIBUTES = (
    "data-src",
    "data-original",
    "data-lazy-src",
    "data-lazy",
    "data-url",
    "data-hi-res-src",
    "data-full-src",
    "data-orig-file",
    "data-large-file",
    "data-actualsrc",
    "datasrc",
    "data-echo",
    "data-img-src",
    "original-src",
)
SRCSET_ATTRIBUTES = ("srcset", "data-srcset", "data-lazy-srcset")
SHOWN_ATTRIBUTE = "data-archiver-shown"  # what a page rendered in the browser showed (capture/browser.py)
NOSCRIPT_CANDIDATE = "data-archiver-noscript-src"
_PLACEHOLDER_NAME = re.compile(
    r"(blank|spacer|placeholder|lazy|transparent|pixel|loading)\.(gif|png|svg)", re.IGNORECASE
)
_TRACKER = re.compile(
    r"(/pixel|/beacon|/track|/open\b|/o\.gif|/t\.gif|utm_|__utm\.gif|doubleclick|"
    r"google-analytics|facebook\.com/tr|scorecardresearch|quantserve|/wf/open)",
    re.IGNORECASE,
)


def parse_srcset(value: str) -> list[str]:
    """URLs of a srcset, largest first (by width descriptor, then density)."""
    ranked: list[tuple[float, int, str]] = []
    for index, item in enumerate(re.split(r",\s+(?=\S)", value.strip())):
        parts = item.strip().split()
        if not parts:
            continue
        size = 1.0
        if len(parts) > 1:
            descriptor = parts[-1].lower()
            try:
                size = float(descriptor[:-1]) * (1 if descriptor.endswith("w") else 1000)
            except ValueError:
                size = 1.0
        ranked.append((-size, index, parts[0].rstrip(",")))
    return [url for _, _, url in sorted(ranked)]


def is_placeholder_src(src: str) -> bool:
    src = src.strip()
    if not src or src in ("#", "about:blank"):
        return True
    if src.lower().startswith("data:"):
        return len(src) < 200  # a tiny inline gif or svg standing in for the real image
    return bool(_PLACEHOLDER_NAME.search(src))


def candidates(img: HtmlElement) -> list[str]:
    """Addresses an <img> may show, best first: the one it showed in the browser, when it was
    rendered in one; the largest srcset entries, the lazy loaders' attributes, then `src`. The
    sanitizer takes the first that resolves, so a "Save Page As" copy, whose `src` points at the
    saved file and whose srcset stays remote, still shows the saved file offline."""
    found: list[str] = [img.get(SHOWN_ATTRIBUTE, "")]
    for attr in SRCSET_ATTRIBUTES:
        if img.get(attr):
            found.extend(parse_srcset(img.get(attr, "")))
    parent = img.getparent()
    if parent is not None and parent.tag == "picture":
        for source in parent.iterfind("source"):
            for attr in SRCSET_ATTRIBUTES:
                found.extend(parse_srcset(source.get(attr, "")))
    for attr in (NOSCRIPT_CANDIDATE, *LAZY_ATTRIBUTES):
        if img.get(attr):
            found.append(img.get(attr, ""))
    src = img.get("src", "").strip()
    if src:
        found.append(src)
    return list(dict.fromkeys(c for c in (c.strip() for c in found) if c))


def is_tracking_pixel(img: HtmlElement) -> bool:
    """Declared 1x1 (or 0x0) images and known beacon addresses with no alt text."""
    sizes = [img.get("width", ""), img.get("height", "")]
    if all(s.strip().rstrip("px").strip() in ("0", "1") for s in sizes if s) and any(sizes):
        return True
    src = img.get("src", "")
    return not img.get("alt") and not src.lower().startswith("data:") and bool(_TRACKER.search(src))


def lift_noscript_images(root: HtmlElement) -> None:
    """Give each lazy <img> the real address from the <noscript> fallback that follows it, and
    unwrap a <noscript> that holds the only copy of an image. Runs before content extraction."""
    for noscript in list(root.iter("noscript")):
        inner = _noscript_images(noscript)
        if not inner:
            continue
        previous = noscript.getprevious()
        target = None
        if previous is not None:
            target = previous if previous.tag == "img" else next(previous.iter("img"), None)
        if target is not None and (is_placeholder_src(target.get("src", "")) or len(inner) == 1):
            target.set(NOSCRIPT_CANDIDATE, inner[0].get("src", ""))
            noscript.drop_tree()  # lxml.html's removal that keeps the text after it
        else:
            replacement = inner[0]
            replacement.tail = noscript.tail
            parent = noscript.getparent()
            if parent is not None:
                parent.replace(noscript, replacement)


def _noscript_images(noscript: HtmlElement) -> list[HtmlElement]:
    images = [i for i in noscript.iter("img") if i.get("src")]
    if images or not (noscript.text and "<img" in noscript.text):
        return images
    # Some parsers keep <noscript> content as text: parse it as markup.
    fragment = parse_fragment(noscript.text)
    return [i for i in fragment.iter("img") if i.get("src")]
