"""Write a corpus of broken, hostile and resource-exhausting inputs, for the tests and the fuzzer.

Every file is made here, the same bytes on every run (random bytes from a fixed seed). Each
case says what archiver must do with it: export it as well as it can ("article") or report it
and go on ("failure"). `beacon` is an address that must never be contacted: the tests point it
at a local server that records every hit.

usage: python -m tests.hostile_corpus OUT [--beacon URL]
"""

from __future__ import annotations

import argparse
import io
import os
import random
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

from PIL import Image

WORDS = [
    "archives",
    "keep",
    "what",
    "readers",
    "saved",
    "so",
    "that",
    "a",
    "later",
    "reader",
    "can",
    "see",
    "the",
    "same",
    "page",
    "again",
    "and",
    "check",
    "where",
    "it",
    "came",
    "from",
    "and",
    "when",
    "it",
    "was",
    "saved",
]


@dataclass(frozen=True)
class Case:
    path: str  # relative to the corpus folder
    expect: str  # "article" (exported, maybe with warnings) or "failure" (reported, skipped)
    why: str


def prose(seed: int, words: int = 220) -> str:
    """Readable filler, enough for an extractor to take it for an article's text."""
    rng = random.Random(seed)
    sentences = []
    while sum(len(s.split()) for s in sentences) < words:
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 16)))
        sentences.append(sentence.capitalize() + ".")
    return " ".join(sentences)


def page(title: str, body: str, head: str = "", url: str = "https://news.example.org/2024/story") -> str:
    paragraphs = "".join(f"<p>{prose(len(title) + i)}</p>" for i in range(3))
    return (
        f"<!DOCTYPE html>\n<!-- saved from url=(0040){url} -->\n<html lang='en'><head><meta charset='utf-8'>"
        f"<title>{title}</title>{head}</head><body><article><h1>{title}</h1>{paragraphs}{body}"
        "</article></body></html>\n"
    )


def png(width: int = 40, height: int = 30, colour: str = "teal") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "PNG")
    return out.getvalue()


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (400, 300), "orange").save(out, "JPEG", quality=80)
    return out.getvalue()


def bomb_png(side: int = 30000) -> bytes:
    """A real, decodable 1-bit PNG of side x side pixels that is about 110 kB on disk: decoding
    it to RGBA would take side * side * 4 bytes (3.6 GB at 30000)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    compressor = zlib.compressobj(9)
    row = b"\0" * (1 + (side + 7) // 8)
    idat = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def many_frame_gif(frames: int = 3000) -> bytes:
    images = [Image.new("RGB", (8, 8), (i % 256, i // 256 * 40, 90)) for i in range(frames)]
    out = io.BytesIO()
    images[0].save(out, "GIF", save_all=True, append_images=images[1:], duration=10, loop=0)
    return out.getvalue()


def mail(
    subject: str,
    html: str,
    *,
    message_id: str,
    extra: Callable[[EmailMessage], None] | None = None,
    charset: str = "utf-8",
) -> bytes:
    message = EmailMessage()
    message["From"] = "Ada Example <ada@example.org>"
    message["To"] = "ada@example.org"
    message["Subject"] = subject
    message["Date"] = "Tue, 02 Apr 2024 10:00:00 +0000"
    message["Message-ID"] = message_id
    message.set_content(html, subtype="html", charset=charset)
    if extra is not None:
        extra(message)
    return message.as_bytes(policy=SMTP)


def nested_multipart(depth: int) -> bytes:
    out = (
        b"From: a@example.org\r\nSubject: Nested parts\r\nDate: Tue, 02 Apr 2024 10:00:00 +0000\r\n"
        b"Message-ID: <nested@example.org>\r\nMIME-Version: 1.0\r\n"
    )
    for level in range(depth):
        out += b'Content-Type: multipart/mixed; boundary="b%d"\r\n\r\n--b%d\r\n' % (level, level)
    out += b"Content-Type: text/html\r\n\r\n<p>" + prose(7).encode() + b"</p>\r\n"
    for level in reversed(range(depth)):
        out += b"--b%d--\r\n" % level
    return out


HOSTILE_BODY = """
<script>fetch('{beacon}/script')</script><p onclick="fetch('{beacon}/onclick')" onmouseover="x()">Handlers.</p>
<a href="javascript:fetch('{beacon}/js')">javascript link</a> <a href=" JaVaScRiPt:alert(1)">spaced</a>
<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data link</a>
<a href="vbscript:msgbox(1)">vbscript</a> <a href="{beacon}/plain-link">an ordinary link</a>
<meta http-equiv="refresh" content="0; url={beacon}/refresh">
<link rel="stylesheet" href="{beacon}/style.css"><link rel="attachment" href="/etc/passwd">
<link rel="import" href="{beacon}/import.html"><link rel="preload" href="{beacon}/preload" as="image">
<style>@import url({beacon}/import.css); p {{ background: url({beacon}/bg.png) }}</style>
<div style="background-image: url({beacon}/inline-bg.png)">styled block</div>
<iframe src="{beacon}/iframe"></iframe><object data="{beacon}/object"></object><embed src="{beacon}/embed">
<svg><script>fetch('{beacon}/svg-script')</script><image href="{beacon}/svg-image.png"/></svg>
<form action="{beacon}/form"><input name="q"><button formaction="{beacon}/button">go</button></form>
<p>Images that must not be read: <img src="{beacon}/remote.png" srcset="{beacon}/remote-2x.png 2x" alt="remote image">
<img src="../../../etc/passwd" alt="relative escape"> <img src="/etc/passwd" alt="site root">
<img src="file:///etc/passwd" alt="file url"> <img src="story_files/link-out.png" alt="symlink out">
<img src="story_files/script.svg" alt="svg with script"> <img src="story_files/external.svg" alt="svg external">
and one that must: <img src="story_files/ok.png" alt="a good image">, in a paragraph long enough to be kept.</p>
<video src="{beacon}/video.mp4" poster="{beacon}/poster.png"></video>
<audio src="{beacon}/audio.mp3"></audio><picture><source srcset="{beacon}/source.webp"><img src="story_files/ok.png" alt="picture"></picture>
<math><mi xlink:href="javascript:alert(1)">x</mi></math><base href="{beacon}/">
<a href="#" onclick="x()">empty anchor</a><p>The end of the hostile page.</p>
"""

SVG_SCRIPT = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script><rect width="10" height="10"/></svg>'
SVG_EXTERNAL = (
    b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" '
    b'height="10"><image xlink:href="BEACON/svg-external.png" width="10" height="10"/></svg>'
)


def build(out: Path, beacon: str = "http://127.0.0.1:9") -> list[Case]:
    """Write the corpus into `out` (a new or empty folder) and say what each file must give."""
    cases: list[Case] = []
    rng = random.Random(20261124)

    def write(path: str, data: bytes | str, expect: str, why: str) -> Path:
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        cases.append(Case(path, expect, why))
        return target

    # -- broken input ------------------------------------------------------------------------
    write("broken/empty.html", b"", "failure", "empty file")
    write("broken/junk.html", rng.randbytes(4096), "failure", "binary junk under .html")
    write("broken/junk.eml", rng.randbytes(4096), "failure", "binary junk under .eml")
    write("broken/junk.mhtml", b"\x00\x01" + rng.randbytes(2000), "failure", "binary junk under .mhtml")
    os.mkfifo(out / "broken" / "fifo.html")  # opening it to read would wait for a writer forever
    cases.append(Case("broken/fifo.html", "failure", "a named pipe, not a file"))
    whole = mail(
        "A truncated message",
        page("A truncated message", '<img src="cid:pic@x" alt="pic">'),
        message_id="<truncated@example.org>",
        extra=lambda m: m.add_related(png(), "image", "png", cid="<pic@x>"),
    )
    write("broken/truncated.eml", whole[: len(whole) - 300], "article", "MIME cut off inside the image part")
    write(
        "broken/no-body.eml",
        b"From: a@example.org\r\nSubject: headers only\r\n",
        "article",
        "headers and no body: its subject is kept, with a warning",
    )
    write(
        "broken/malformed-mime.eml",
        b"From: a@example.org\r\nSubject: =?utf-8?B?broken=?=\r\nDate: not a date\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: multipart/alternative; boundary=\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        b'--\r\nContent-Type: text/html; charset="\r\n\r\n<p>' + prose(3).encode() + b"</p>\r\n--x--\r\n",
        "article",
        "empty boundary, bad encoded word, bad date, unterminated charset",
    )
    write(
        "broken/lying-charset.html",
        page("Caf\u00e9 cr\u00e8me", "<p>Na\u00efve \u2013 r\u00e9sum\u00e9</p>").encode("cp1252"),
        "article",
        "declares UTF-8, is Windows-1252",
    )
    write(
        "broken/unknown-charset.eml",
        mail("Unknown charset", page("Unknown charset", ""), message_id="<charset@example.org>")
        .replace(b'charset="utf-8"', b'charset="x-no-such-charset"')
        .replace(b"charset=utf-8", b"charset=x-no-such-charset"),
        "article",
        "a charset no codec knows",
    )
    write(
        "broken/invalid-xml-chars.html",
        page(
            "Form\x0cfeed and \x00 NUL",
            "<p>vertical\x0btab, \x1b escape, &#xD800; lone surrogate, &#0; NUL "
            "reference, &#xFFFE; non-character, \udc80 raw surrogate</p>",
            head="<meta name='author' content='Ada\x0c\x00Example'>",
        ).encode("utf-8", "surrogatepass"),
        "article",
        "form feeds, NULs, lone surrogates",
    )
    write(
        "broken/unclosed.html",
        "<html><head><title>Unclosed tags<body><article><h1>Unclosed tags<p>"
        + prose(4)
        + "<p><b><i>"
        + prose(5)
        + "<table><tr><td>cell<div><ul><li>item",
        "article",
        "tags never closed",
    )
    write(
        "broken/deep-nesting.html",
        page(
            "Ten thousand levels deep",
            "<div>" * 10000 + f"<p>Deep down: {prose(11)}</p>" + "</div>" * 10000 + "<span>" * 10000,
        ),
        "article",
        "10,000-deep nesting",
    )
    big = page(
        "A fifty megabyte page",
        "<script>var state = "
        + "["
        + ",".join(["0"] * 25_000_000)
        + "];</script>"
        + "<!-- "
        + "x" * 1_000_000
        + " -->",
    )
    write("broken/fifty-megabytes.html", big, "article", "a 50 MB saved page (an inline script holds it)")

    # -- images: broken and exhausting -------------------------------------------------------
    good = png()
    images = {
        "truncated.png": good[: len(good) // 2],
        "truncated.jpg": jpeg()[:900],
        "really-html.jpg": b"<!DOCTYPE html><html><body>404 Not Found</body></html>",
        "zero.png": b"",
        "bomb.png": bomb_png(),
        "frames.gif": many_frame_gif(),
        "ok.png": good,
    }
    body = "".join(
        f'<figure><img src="images_files/{name}" alt="{name}"><figcaption>{name}</figcaption></figure>'
        for name in images
    )
    for name, data in images.items():
        (out / "images" / "images_files").mkdir(parents=True, exist_ok=True)
        (out / "images" / "images_files" / name).write_bytes(data)
    write(
        "images/images.html",
        page("Broken and exhausting images", body),
        "article",
        "truncated PNG and JPEG, HTML as .jpg, zero bytes, a 30000x30000 PNG, a 3000-frame GIF",
    )

    # -- mail: exhausting --------------------------------------------------------------------
    write("mail/nested-multipart.eml", nested_multipart(2000), "either", "multipart nested 2,000 deep")
    write("mail/many-parts.eml", _many_parts(6000), "either", "6,000 MIME parts")

    # -- hostile content ---------------------------------------------------------------------
    files = out / "hostile" / "story_files"
    files.mkdir(parents=True, exist_ok=True)
    (files / "ok.png").write_bytes(good)
    (files / "script.svg").write_bytes(SVG_SCRIPT)
    (files / "external.svg").write_bytes(SVG_EXTERNAL.replace(b"BEACON", beacon.encode()))
    secret = out / "outside-secret.png"  # outside every input folder the tests name
    secret.write_bytes(png(colour="red"))
    os.symlink(os.path.relpath(secret, files), files / "link-out.png")
    write(
        "hostile/story.html",
        page(
            "A hostile page",
            HOSTILE_BODY.format(beacon=beacon),
            head=f'<base href="file:///etc/"><link rel="icon" href="{beacon}/icon.png">',
        ),
        "article",
        "scripts, handlers, javascript: and data: links, refresh, CSS imports, base, escapes",
    )
    os.symlink(
        os.path.relpath(out / "outside-page.html", out / "hostile"), out / "hostile" / "linked-out.html"
    )
    (out / "outside-page.html").write_text(page("Outside the input folder", ""), encoding="utf-8")
    cases.append(Case("hostile/linked-out.html", "failure", "a symlink to a page outside the input folder"))
    write(
        "hostile/cid-path.eml",
        mail(
            "A cid that names a path",
            page(
                "A cid that names a path",
                '<img src="cid:../../../etc/passwd" alt="cid path">'
                f'<img src="{beacon}/mail.png" alt="remote">',
            ),
            message_id="<cid-path@example.org>",
        ),
        "article",
        "cid: naming a path, remote image",
    )
    write("hostile/script.mhtml", _mhtml(beacon), "article", "MHTML whose page scripts and links out")

    # -- names -------------------------------------------------------------------------------
    for number in (1, 2):
        write(
            f"names/same-title-{number}.html",
            page("../../Same title: CON", "", url=f"https://x.example/{number}"),
            "article",
            "two articles with one title that looks like a path",
        )
    return cases


def _many_parts(count: int) -> bytes:
    parts = b"".join(b"--p\r\nContent-Type: text/plain\r\n\r\npart %d\r\n" % i for i in range(count))
    return (
        b"From: a@example.org\r\nSubject: Many parts\r\nDate: Tue, 02 Apr 2024 10:00:00 +0000\r\n"
        b"Message-ID: <many@example.org>\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="p"\r\n\r\n'
        b"--p\r\nContent-Type: text/html\r\n\r\n<p>" + prose(9).encode() + b"</p>\r\n" + parts + b"--p--\r\n"
    )


def _mhtml(beacon: str) -> bytes:
    html = page(
        "An MHTML page that scripts",
        f'<script src="{beacon}/mhtml.js"></script>'
        f'<img src="https://news.example.org/pic.png" alt="pic"><iframe src="{beacon}/frame"></iframe>',
        url="https://news.example.org/mhtml",
    )
    return (
        b"From: <Saved by Blink>\r\nSnapshot-Content-Location: https://news.example.org/mhtml\r\n"
        b"Subject: An MHTML page that scripts\r\nDate: Tue, 2 Apr 2024 10:00:00 -0000\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/related; type="text/html"; boundary="----MultipartBoundary--x----"\r\n\r\n'
        b"------MultipartBoundary--x----\r\nContent-Type: text/html\r\nContent-ID: <frame-1@mhtml.blink>\r\n"
        b"Content-Transfer-Encoding: binary\r\nContent-Location: https://news.example.org/mhtml\r\n\r\n"
        + html.encode()
        + b"\r\n------MultipartBoundary--x----\r\nContent-Type: image/png\r\n"
        b"Content-Transfer-Encoding: base64\r\nContent-Location: https://news.example.org/pic.png\r\n\r\n"
        + _b64(bomb_png(20000))
        + b"\r\n------MultipartBoundary--x------\r\n"
    )


def _b64(data: bytes) -> bytes:
    import base64

    return base64.encodebytes(data).replace(b"\n", b"\r\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--beacon", default="http://127.0.0.1:9")
    arguments = parser.parse_args()
    for case in build(arguments.out, arguments.beacon):
        print(f"{case.expect:8} {case.path}: {case.why}")


if __name__ == "__main__":
    main()


def mailbox(path: Path, messages: int) -> None:
    """An mbox of `messages` different small articles mailed to oneself, written as a stream."""
    with path.open("wb") as handle:
        for number in range(messages):
            data = mail(
                f"Saved article {number}",
                f"<p>{prose(number, 120)}</p>",
                message_id=f"<m{number}@example.org>",
            )
            data = data.replace(b"\r\n", b"\n").replace(b"\nFrom ", b"\n>From ")
            handle.write(b"From ada@example.org Tue Apr  2 10:00:00 2024\n" + data + b"\n")
