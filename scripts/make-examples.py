#!/usr/bin/env python3
"""Write the synthesized example inputs in examples/ (one of each kind the readers handle besides
the real Reader View page). Text and images are made here, by nobody else: run it again and
you get the same bytes.

usage: python scripts/make-examples.py
"""

from __future__ import annotations

import io
import mailbox
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

from PIL import Image, ImageDraw

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
PARAGRAPHS = [
    (
        "Every library that keeps newspapers on paper knows the problem: the paper turns brown, then brittle, "
        "and one day the page breaks along its fold. Web pages decay faster and more quietly."
    ),
    (
        "A saved page is evidence of what a reader saw. To keep it useful, an archive records where the page "
        "came from, when it was saved, and a checksum of the bytes, so that a later reader can tell the copy "
        "from a forgery."
    ),
    "This example was written for archiver's documentation; it is not a real news article.",
]


def picture(colour: str, label: str) -> bytes:
    image = Image.new("RGB", (240, 120), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((10, 10, 230, 110), outline=colour, width=6)
    draw.text((30, 50), label, fill=colour)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def article_html(title: str, image_src: str, extra_head: str = "") -> str:
    body = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{title}</title>{extra_head}</head>'
        f'<body><header><nav><a href="/">Home</a> | <a href="/archive">Archive</a></nav></header>'
        f'<article><h1>{title}</h1><p class="byline">By Ada Example</p>{body}'
        f'<figure><img src="{image_src}" alt="A framed label" width="240" height="120">'
        f"<figcaption>Figure 1. A picture made for this example.</figcaption></figure>"
        f"<p>{PARAGRAPHS[0]}</p></article><footer>© Example Press</footer></body></html>\n"
    )


def saved_page() -> None:
    folder = EXAMPLES / "saved-page"
    (folder / "keeping-pages_files").mkdir(parents=True, exist_ok=True)
    (folder / "keeping-pages_files" / "frame.png").write_bytes(picture("navy", "saved page"))
    head = (
        '<meta property="og:site_name" content="Example Press">'
        '<meta property="og:url" content="https://news.example.org/2024/keeping-pages">'
        '<meta name="author" content="Ada Example">'
        '<meta property="article:published_time" content="2024-05-02T09:30:00+02:00">'
    )
    html = article_html("Keeping pages from falling apart", "keeping-pages_files/frame.png", head)
    (folder / "keeping-pages.html").write_text(html, encoding="utf-8")


def mail_with_cid() -> EmailMessage:
    message = EmailMessage(policy=SMTP)
    message["From"] = "Ada Example <ada@example.org>"
    message["To"] = "reader@example.org"
    message["Subject"] = "Checksums for readers"
    message["Date"] = "Tue, 14 May 2024 18:05:00 +0200"
    message["Message-ID"] = "<checksums-1@example.org>"
    message.set_content("\n\n".join(PARAGRAPHS))
    html = article_html("Checksums for readers", "cid:frame@example.org")
    message.add_alternative(html, subtype="html")
    message.get_payload()[1].add_related(
        picture("darkgreen", "mail part"), "image", "png", cid="<frame@example.org>", filename="frame.png"
    )
    return message


def fixed_boundaries(message: EmailMessage, name: str) -> EmailMessage:
    """The email package picks random boundaries; examples must be the same on every run."""
    for number, part in enumerate(p for p in message.walk() if p.is_multipart()):
        part.set_boundary(f"archiver-example-{name}-{number}")
    return message


FROM_LINE_TIME = (2026, 11, 24, 2, 29, 40, 1, 328, 0)  # the "From " lines' time, as first written


def mailbox_file() -> None:
    path = EXAMPLES / "mail" / "saved-articles.mbox"
    path.unlink(missing_ok=True)
    box = mailbox.mbox(str(path))
    for number, subject in enumerate(("Why archives keep checksums", "Reading list: paper and pixels"), 1):
        message = EmailMessage(policy=SMTP)
        message["From"] = "Reader <reader@example.org>"
        message["To"] = "reader@example.org"
        message["Subject"] = subject
        message["Date"] = f"Wed, {number + 14} May 2024 08:00:00 +0000"
        message["Message-ID"] = f"<box-{number}@example.org>"
        message.set_content(
            f"{subject}\n\nhttps://news.example.org/2024/{number}\n\n" + "\n\n".join(PARAGRAPHS)
        )
        boxed = mailbox.mboxMessage(message.as_bytes())
        boxed.set_from("MAILER-DAEMON", FROM_LINE_TIME)  # else the mailbox module writes the time of the run
        box.add(boxed)
    box.flush()
    box.close()


def mhtml_file() -> None:
    html = article_html(
        "Pages as single files",
        "https://news.example.org/img/frame.png",
        '<meta property="og:site_name" content="Example Press">',
    )
    message = EmailMessage(policy=SMTP)
    message["From"] = "<Saved by Blink>"
    message["Snapshot-Content-Location"] = "https://news.example.org/2024/single-files"
    message["Subject"] = "Pages as single files"
    message["Date"] = "Thu, 16 May 2024 10:00:00 +0000"
    message["MIME-Version"] = "1.0"
    message.set_content(html, subtype="html", cte="quoted-printable")
    message.make_related()
    message.get_payload()[0]["Content-Location"] = "https://news.example.org/2024/single-files"
    image = EmailMessage(policy=SMTP)
    image.set_content(picture("maroon", "mhtml"), maintype="image", subtype="png")
    image["Content-Location"] = "https://news.example.org/img/frame.png"
    message.attach(image)
    (EXAMPLES / "mhtml").mkdir(exist_ok=True)
    (EXAMPLES / "mhtml" / "single-files.mhtml").write_bytes(fixed_boundaries(message, "mhtml").as_bytes())


def main() -> None:
    (EXAMPLES / "mail").mkdir(parents=True, exist_ok=True)
    saved_page()
    (EXAMPLES / "mail" / "checksums-with-cid-image.eml").write_bytes(
        fixed_boundaries(mail_with_cid(), "cid").as_bytes()
    )
    mailbox_file()
    mhtml_file()


if __name__ == "__main__":
    main()
