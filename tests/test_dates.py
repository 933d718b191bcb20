from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from archiver.dates import parse_date


@pytest.mark.parametrize(
    "text, expected",
    [
        ("March 21, 2024", date(2024, 3, 21)),
        ("2015-07-24", date(2015, 7, 24)),
        ("24 July 2015", date(2015, 7, 24)),
        ("21. März 2024", date(2024, 3, 21)),
        ("Published: 2024/03/05", date(2024, 3, 5)),
        ("2024-12-06T22:00:40.000Z", datetime(2024, 12, 6, 22, 0, 40, tzinfo=UTC)),
        (
            "Sat, 30 Apr 2005 19:28:29 -0300",
            datetime(2005, 4, 30, 19, 28, 29, tzinfo=timezone(timedelta(hours=-3))),
        ),
        ("Fri, Mar 15, 2024 at 8:26 PM", datetime(2024, 3, 15, 20, 26)),
    ],
)
def test_dates_people_and_programs_write(text: str, expected: object) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "3-5 minutes",
        "18-20 minutes",
        "12",
        "1999",
        "March 2024",
        "",
        None,
        "2024-13-45",
        "Page 2 of 2015 results",
    ],
)
def test_non_dates_are_refused(text: str | None) -> None:
    """Reader View's reading time sits where its date would be: it must never become a date."""
    assert parse_date(text) is None
