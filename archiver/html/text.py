"""An article's body as the words a reader sees: what `inspect --text` prints and search indexes."""

from __future__ import annotations

from lxml import etree

# Elements after which the text breaks: what a reader sees as separate blocks.
_BLOCKS = frozenset(
    "address article aside blockquote caption dd div dl dt figcaption figure footer h1 h2 h3 h4 h5 h6 header "
    "hr li ol p pre section table td th tr ul".split()
)


def plain_text(body: str) -> str:
    """An article's XHTML body as text: one line per block, whitespace inside a block folded;
    the notes archiver puts where an image could not be kept are not the article's text."""
    root = etree.fromstring(f"<div>{body}</div>")
    for holder in root.xpath('.//*[@class="missing-image"]'):  # archiver's note, not the article's text
        parent, previous = holder.getparent(), holder.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + (holder.tail or "")
        else:
            parent.text = (parent.text or "") + (holder.tail or "")
        parent.remove(holder)
    for element in root.iter():
        if element.tag in _BLOCKS or element.tag == "br":
            element.tail = "\n" + (element.tail or "")
    lines = (" ".join(line.split()) for line in "".join(root.itertext()).split("\n"))
    return "\n".join(line for line in lines if line)
