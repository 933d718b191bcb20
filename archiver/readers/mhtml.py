"""MHTML web archives (.mht, .mhtml; RFC 2557), Chrome's "Saved by Blink" snapshots included.

The root part is the page; its images are other parts, found by Content-ID or by
Content-Location. The Date header is when the page was saved, not when it was published.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from ..dates import parse_date
from ..errors import ArchiverError
from ..html.article import build_article
from ..html.charset import charset_warnings
from ..images.resolve import ResolveContext
from ..mail.mime import header, html_root, parse_message, part_text, related_parts
from ..model import frozen_map
from .base import Reader, ReadOptions, ReadResult, file_source, looks_like_mime

NAME = "mhtml"
_MARKS = re.compile(rb"^(From: <Saved by |Snapshot-Content-Location:)", re.IGNORECASE | re.MULTILINE)
_RELATED = re.compile(rb"^Content-Type:\s*multipart/related", re.IGNORECASE | re.MULTILINE)


def sniff(head: bytes) -> int:
    if not looks_like_mime(head):
        return 0
    if _MARKS.search(head) or (_RELATED.search(head) and b"Content-Location:" in head):
        return 3
    return 1


def read(path: Path, shown: str, options: ReadOptions) -> ReadResult:
    message = parse_message(path.read_bytes())
    root = html_root(message)
    if root is None:
        raise ArchiverError("no text/html part to use as the page")
    base = (
        header(message, "Snapshot-Content-Location")
        or header(root, "Content-Location")
        or header(message, "Content-Location")
    )
    parts = related_parts(message, base)
    text, how = part_text(root)
    saved = parse_date(header(message, "Date"))
    source = file_source(path, shown, NAME)
    if saved is not None:
        source = replace(source, saved=saved, origins=frozen_map({"saved": "mhtml:Date"}))
    context = ResolveContext(
        base_url=base, parts_by_cid=parts.by_cid, parts_by_location=parts.by_location, fetcher=options.fetcher
    )
    article = build_article(
        text, source, context, extract=True, url_hint=base, warnings=charset_warnings(how)
    )
    if article.title is None and header(message, "Subject"):
        origins = dict(article.source.origins, title="mhtml:Subject")
        article = replace(
            article,
            title=header(message, "Subject"),
            source=replace(article.source, origins=frozen_map(origins)),
        )
    yield article


READER = Reader(NAME, extensions=(".mht", ".mhtml"), media_type="multipart/related", sniff=sniff, read=read)
