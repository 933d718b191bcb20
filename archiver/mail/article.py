"""A mail message (RFC 5322/MIME) as an Article: shared by the .eml and mbox readers.

The mail's own headers describe the message; when the message forwards an article, the
forwarded block (or a Reader View page inside) describes the article, and the outer Date is
only when it reached the archive.
"""

from __future__ import annotations

import csv
import html
import re
from dataclasses import replace
from email.message import EmailMessage

from ..dates import parse_date
from ..html.article import build_article
from ..html.charset import charset_warnings
from ..html.metadata import Found, split_authors
from ..images.resolve import Fetcher, ResolveContext
from ..model import Article, ReadingStatus, Source, frozen_map
from .forwarded import find_in_html, find_in_text, is_forward_subject, strip_prefix
from .mime import (
    InlineImage,
    address_name,
    body,
    header,
    mime_defects,
    related_parts,
    unreferenced_inline_images,
)

_URL = re.compile(r"(https?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]])")


def text_to_html(text: str) -> str:
    """A text/plain body as paragraphs: blank lines split them, single newlines stay breaks."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if p.strip()]
    rendered = []
    for paragraph in paragraphs:
        escaped = html.escape(paragraph.strip("\n"), quote=True)
        linked = _URL.sub(lambda m: f'<a href="{m.group(1)}">{m.group(1)}</a>', escaped)
        rendered.append("<p>" + linked.replace("\n", "<br>") + "</p>")
    return "<html><body>" + "".join(rendered) + "</body></html>"


def message_article(message: EmailMessage, source: Source, fetcher: Fetcher | None) -> Article:
    subject = header(message, "Subject")
    sent = parse_date(header(message, "Date"))
    content = body(message)
    html_text = content.html if content.html is not None else text_to_html(content.text or "")
    forwarded = find_in_html(content.html) if content.html is not None else find_in_text(content.text or "")
    hints = Found()
    if forwarded is not None or is_forward_subject(subject):
        title = (forwarded.subject if forwarded else None) or strip_prefix(subject)
        hints.offer("title", strip_prefix(title), "mail:forwarded-subject")
        if forwarded is not None:
            hints.offer("authors", tuple(split_authors(forwarded.sender or "")), "mail:forwarded-from")
            hints.offer("published", parse_date(forwarded.date), "mail:forwarded-date")
    else:
        hints.offer("title", subject, "mail:Subject")
        sender = address_name(message, "From")
        hints.offer("authors", (sender,) if sender else (), "mail:From")
        hints.offer("published", sent, "mail:Date")
    parts = related_parts(message, header(message, "Content-Location") or header(message, "Content-Base"))
    by_cid = dict(parts.by_cid)
    inline = unreferenced_inline_images(message, html_text)
    if inline:
        by_cid.update({image.key: image.data for image in inline})
        html_text = _append_figures(html_text, inline)
    context = ResolveContext(parts_by_cid=by_cid, parts_by_location=parts.by_location, fetcher=fetcher)
    origins = dict(source.origins)
    if sent is not None:
        origins["saved"] = "mail:Date"
    source = replace(
        source, message_id=header(message, "Message-ID") or None, saved=sent, origins=frozen_map(origins)
    )
    warnings = charset_warnings(content.charset_note)
    if content.html is None and content.text is None:
        warnings += ("message has no text or HTML body",)
    defects = mime_defects(message)
    if defects:
        warnings += (f"MIME defects (the message may be truncated or malformed): {', '.join(defects)}",)
    article = build_article(html_text, source, context, hints=hints, extract=False, warnings=warnings)
    return with_gmail_labels(article, header(message, "X-Gmail-Labels"))


# Labels Gmail sets itself (Google Takeout writes them beside the user's own); "Category ..." too.
GMAIL_SYSTEM_LABELS = frozenset(
    (
        "inbox",
        "archived",
        "important",
        "opened",
        "unread",
        "sent",
        "starred",
        "drafts",
        "spam",
        "trash",
        "chat",
    )
)


def with_gmail_labels(article: Article, labels: str | None) -> Article:
    """The article with the state a Google Takeout mailbox records in X-Gmail-Labels (CSV, so a
    label holding a comma is quoted): the user's own labels as tags, Unread or Archived as its
    status, Starred."""
    if labels is None:
        return article
    named = [label.strip() for label in next(csv.reader([labels]), []) if label.strip()]
    system = {label.casefold() for label in named}
    tags = tuple(
        dict.fromkeys(
            label
            for label in named
            if label.casefold() not in GMAIL_SYSTEM_LABELS and not label.casefold().startswith("category ")
        )
    )
    status: ReadingStatus | None = (
        "unread" if "unread" in system else "archived" if "archived" in system else None
    )
    origins = {"tags": "mail:X-Gmail-Labels", "starred": "mail:X-Gmail-Labels"}
    if status is not None:
        origins["status"] = "mail:X-Gmail-Labels"
    source = replace(article.source, origins=frozen_map({**article.source.origins, **origins}))
    return replace(article, tags=tags, status=status, starred="starred" in system, source=source)


def _append_figures(html_text: str, images: list[InlineImage]) -> str:
    """The inline image parts, shown after the body as the mail client would show them."""
    figures = "".join(
        f'<figure><img src="cid:{html.escape(image.key)}" alt="{html.escape(image.filename or "")}">'
        + (f"<figcaption>{html.escape(image.filename)}</figcaption>" if image.filename else "")
        + "</figure>"
        for image in images
    )
    closing = html_text.lower().rfind("</body>")
    return html_text[:closing] + figures + html_text[closing:] if closing != -1 else html_text + figures
