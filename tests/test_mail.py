"""Mail reading: MIME structure, charsets, encoded words, cid: references and forwards.

Messages are written here byte by byte, the way clients write them, so each test shows the
exact wire format it is about.
"""

from __future__ import annotations

import base64
from pathlib import Path

from archiver.model import Article, Failure, ResourceStatus
from archiver.readers.mbox import message_at, split_messages
from tests.helpers import read_all, read_one
from tests.test_sanitize import PNG

PNG_B64 = base64.b64encode(PNG).decode()


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


RELATED = f"""From: =?utf-8?q?J=C3=BCrgen_M=C3=BCller?= <jm@example.org>
To: me@example.org
Subject: =?iso-8859-1?q?Caf=E9_news?=
Date: Tue, 05 Mar 2024 10:00:00 +0100
Message-ID: <abc@example.org>
MIME-Version: 1.0
Content-Type: multipart/related; boundary="REL"

--REL
Content-Type: multipart/alternative; boundary="ALT"

--ALT
Content-Type: text/plain; charset=utf-8

Plain version
--ALT
Content-Type: text/html; charset=utf-8

<html><body><p>Rich version</p><img src="cid:img%40one" alt="one"><img src="CID:<img@two>" alt="two"></body></html>
--ALT--
--REL
Content-Type: image/png
Content-ID: <img@one>
Content-Transfer-Encoding: base64

{PNG_B64}
--REL
Content-Type: application/octet-stream
Content-ID: <img@two>
Content-Transfer-Encoding: base64

{PNG_B64}
--REL--
"""


def test_html_is_preferred_and_cid_images_resolve(tmp_path: Path) -> None:
    article = read_one(write(tmp_path, "m.eml", RELATED))
    assert "Rich version" in article.body and "Plain version" not in article.body
    assert article.title == "Café news"  # RFC 2047 encoded word in another charset
    assert article.authors == ("Jürgen Müller",)
    assert article.published is not None and article.published.isoformat() == "2024-03-05T10:00:00+01:00"
    assert article.source.saved == article.published
    assert article.source.locator == "message-id:<abc@example.org>"
    assert [r.status for r in article.resources] == [ResourceStatus.EMBEDDED] * 2
    assert {r.media_type for r in article.resources} == {"image/png"}  # octet-stream sniffed as PNG


def test_text_only_mail_becomes_paragraphs(tmp_path: Path) -> None:
    message = (
        "From: a@example.org\nSubject: Notes\nDate: Mon, 1 Jan 2024 00:00:00 +0000\n\n"
        "First paragraph\nstill first.\n\nSecond <b>not bold</b> https://example.org/x.\n"
    )
    article = read_one(write(tmp_path, "t.eml", message))
    assert article.body.count("<p>") == 2
    assert "&lt;b&gt;not bold&lt;/b&gt;" in article.body
    assert '<a href="https://example.org/x">https://example.org/x</a>.' in article.body


def test_undeclared_eight_bit_charset(tmp_path: Path) -> None:
    message = (
        "From: a@example.org\nSubject: Umlaute\nContent-Type: text/plain\n"
        "Content-Transfer-Encoding: 8bit\n\nGrüße aus München, schöne Straße.\n"
    ).encode("cp1252")
    article = read_one(write(tmp_path, "u.eml", message))
    assert "Grüße aus München, schöne Straße." in article.body


def test_plain_forward_gives_the_original_message(tmp_path: Path) -> None:
    message = (
        "From: Me <me@example.org>\nSubject: Fwd: The original\nDate: Fri, 10 May 2024 09:00:00 +0000\n\n"
        "Look at this.\n\n---------- Forwarded message ---------\nFrom: Newsletter Team <news@example.com>\n"
        "Date: Thu, May 9, 2024 at 6:15 PM\nSubject: The original\nTo: <me@example.org>\n\n"
        "Body of the newsletter.\n"
    )
    article = read_one(write(tmp_path, "f.eml", message))
    assert article.title == "The original"
    assert article.authors == ("Newsletter Team",)
    assert article.published is not None and article.published.isoformat() == "2024-05-09T18:15:00"
    assert article.source.saved is not None and article.source.saved.isoformat().startswith("2024-05-10")
    assert article.source.origins["authors"] == "mail:forwarded-from"


def test_truncated_message_is_read_with_a_warning(tmp_path: Path) -> None:
    article = read_one(
        write(tmp_path, "cut.eml", RELATED[: RELATED.index("--REL\nContent-Type: application")])
    )
    assert "Rich version" in article.body
    assert any("truncated" in w for w in article.warnings)


def test_broken_header_folding_is_repaired(tmp_path: Path) -> None:
    """Chrome has written MHTML whose encoded-word header continues on an unindented line."""
    page = (
        "From: <Saved by Blink>\nSubject: A page\nX-Snapshot-Title: =?utf-8?Q?two\nlines?=\n"
        'MIME-Version: 1.0\nContent-Type: multipart/related; type="text/html"; boundary="B"\n\n'
        "--B\nContent-Type: text/html\nContent-Location: https://example.org/page\n\n"
        '<html><head><title>A page</title></head><body><p>Hello page</p><img src="logo.png"></body></html>\n'
        f"--B\nContent-Type: image/png\nContent-Transfer-Encoding: base64\n"
        f"Content-Location: https://example.org/logo.png\n\n{PNG_B64}\n--B--\n"
    )
    article = read_one(write(tmp_path, "p.mhtml", page))
    assert article.source.kind == "mhtml" and article.url == "https://example.org/page"
    assert [(r.status, r.resolved_by) for r in article.resources] == [
        (ResourceStatus.EMBEDDED, "content-location")
    ]


def test_mbox_reports_a_bad_message_and_reads_the_rest(tmp_path: Path) -> None:
    box = (
        b"From a@b Mon Jan  1 00:00:00 2024\nFrom: a@b\nSubject: one\n\nhello\n>From the archive\n\n"
        b"From x@y Mon Jan  1 00:00:00 2024\n\x00\x01garbage\n\n"
        b"From c@d Mon Jan  1 00:00:00 2024\nFrom: c@d\nSubject: two\n\nworld\n"
    )
    items = read_all(write(tmp_path, "box.mbox", box))
    assert [type(i) for i in items] == [Article, Failure, Article]
    failure = items[1]
    assert isinstance(failure, Failure) and failure.locator == "mbox-index:1"
    first = items[0]
    assert isinstance(first, Article) and "From the archive" in first.body  # mboxrd escape undone


def test_mbox_is_split_as_a_stream(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "big.mbox",
        b"".join(b"From x Mon Jan  1 00:00:00 2024\nSubject: %d\n\nbody\n" % i for i in range(500)),
    )
    with path.open("rb") as handle:
        stream = split_messages(handle)
        start, end, data = next(stream)  # the first message comes before the rest is read
        assert data.startswith(b"Subject: 0\n") and (start, end) == (32, 32 + len(data))
        assert sum(1 for _ in stream) == 499
        assert message_at(handle, start, end) == data  # read again by its offsets


def test_reading_on_two_processes_gives_the_same_articles_in_the_same_order(tmp_path: Path) -> None:
    """A mailbox is shared out message by message, other inputs file by file."""
    from archiver.readers import read_inputs
    from tests.conftest import ROOT
    from tests.hostile_corpus import mailbox

    mailbox(tmp_path / "box.mbox", 60)
    inputs = [str(ROOT / "examples"), str(tmp_path / "box.mbox"), str(tmp_path / "missing.eml")]
    one, two = list(read_inputs(inputs, jobs=1)), list(read_inputs(inputs, jobs=2))
    assert len(one) == 6 + 60 + 1 and isinstance(one[-1], Failure)
    assert one == two
