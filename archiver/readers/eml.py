"""Single mail messages (.eml): articles mailed to oneself, forwarded, or saved from a client."""

from __future__ import annotations

from pathlib import Path

from ..mail.article import message_article
from ..mail.mime import parse_message
from .base import Reader, ReadOptions, ReadResult, file_source, looks_like_mail, looks_like_mime

NAME = "eml"


def sniff(head: bytes) -> int:
    return 2 if looks_like_mail(head) else 1 if looks_like_mime(head) else 0


def read(path: Path, shown: str, options: ReadOptions) -> ReadResult:
    message = parse_message(path.read_bytes())
    yield message_article(message, file_source(path, shown, NAME), options.fetcher)


READER = Reader(
    NAME, extensions=(".eml", ".msg822", ".rfc822"), media_type="message/rfc822", sniff=sniff, read=read
)
