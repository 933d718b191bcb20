"""Dates as people and programs write them, parsed strictly.

A wrong date is worse than none in an archive, so a text counts as a date only when it names a
year; reading times ("3-5 minutes") and bare numbers are refused.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from functools import cache
from typing import Any

from dateutil import parser as dateutil_parser

_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d|21\d\d)(?!\d)")
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
_HAS_TIME = re.compile(r"\d{1,2}:\d{2}")
DATE_LANGUAGES = [  # dateparser codes, for date_parser
    "en",
    "de",
    "fr",
    "es",
    "it",
    "pt",
    "nl",
    "sv",
    "da",
    "nb",
    "pl",
    "cs",
    "ru",
    "uk",
    "tr",
]
_NOISE = re.compile(r"^\s*(published|updated|posted|last modified|date)\s*(on|at)?\s*:?\s*", re.IGNORECASE)


def parse_date(text: str | None) -> datetime | date | None:
    """An aware datetime when the text has a time and zone, a naive datetime when it has a time
    only, a date when it has no time; None when it is not clearly a date."""
    if not text:
        return None
    text = _NOISE.sub("", text.strip())[:100]
    if not _YEAR.search(text) or not _has_day_and_month(text):
        return None
    iso = _ISO_DATE.match(text)
    if iso:
        try:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        except ValueError:
            return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        parsed = None
    if parsed is None:
        try:
            parsed = parsedate_to_datetime(text)  # RFC 5322, as in mail headers
        except (TypeError, ValueError, IndexError):
            parsed = None
    if parsed is None:
        try:
            parsed = dateutil_parser.parse(text, fuzzy=False, default=datetime(1, 1, 1))
        except (ValueError, OverflowError):
            return _parse_other_language(text)
        if parsed.year == 1 or parsed.day is None:
            return None
    if not _HAS_TIME.search(text):
        return parsed.date()
    return parsed


_MONTH_WORD = re.compile(r"[^\W\d_]{3,}")


def _has_day_and_month(text: str) -> bool:
    """Besides the year, a day number and a month (a number or a word) must be there."""
    others = re.findall(r"\d+", _YEAR.sub(" ", text, count=1))
    return len(others) >= 2 or (len(others) == 1 and bool(_MONTH_WORD.search(text)))


def _parse_other_language(text: str) -> datetime | date | None:
    """Month names in other languages ("21. März 2024"): dateparser knows them; it is slow to
    import, so only pages that need it pay for it."""
    import dateparser

    settings = {
        "REQUIRE_PARTS": ["day", "month", "year"],
        "STRICT_PARSING": True,
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    parsed: datetime | None = dateparser.parse(text, settings=settings)
    if parsed is None:
        return None
    return parsed if _HAS_TIME.search(text) else parsed.date()


def iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


@cache
def date_parser() -> Any:
    """htmldate's dateparser with its settings, but for the languages archived pages are mostly
    written in rather than all 200: dateparser compiles every language's patterns on first use,
    several seconds in each process, and the dates it finds on the corpus are the same."""
    from dateparser import DateDataParser

    return DateDataParser(
        languages=DATE_LANGUAGES,
        settings={
            "NORMALIZE": True,
            "PARSERS": ["custom-formats", "absolute-time"],
            "PREFER_DATES_FROM": "past",
            "PREFER_LOCALE_DATE_ORDER": True,
            "RETURN_AS_TIMEZONE_AWARE": False,
            "STRICT_PARSING": True,
        },
    )
