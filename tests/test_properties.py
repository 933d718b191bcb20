"""Properties that must hold for any input at all (hypothesis): the sanitizer, the MIME reader and
URL resolution raise nothing but ArchiverError, the sanitizer always gives well-formed XHTML with
nothing from the deny list, and resolution never reads outside the input's folder."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lxml import etree

from archiver.errors import ArchiverError
from archiver.html.sanitize import clean
from archiver.html.tree import parse_fragment
from archiver.images.resolve import FolderFiles, ResolveContext, Resolver
from archiver.mail.article import message_article
from archiver.mail.mime import parse_message
from archiver.model import ResourceStatus, Source
from archiver.urls import absolute, normalize_href, parse_data_uri
from tests.test_sanitize import PNG
from tests.validators import markup_problems

DENY_TAGS = [
    "script",
    "style",
    "iframe",
    "object",
    "embed",
    "svg",
    "math",
    "form",
    "input",
    "base",
    "meta",
    "link",
    "img",
    "a",
    "p",
    "div",
    "table",
    "tr",
    "td",
    "li",
    "ul",
    "video",
    "source",
    "noscript",
    "template",
]
DENY_ATTRS = [
    "onclick",
    "onload",
    "onerror",
    "style",
    "href",
    "src",
    "srcset",
    "formaction",
    "xlink:href",
    "action",
    "background",
    "data-src",
    "id",
]
HOSTILE_VALUES = [
    "javascript:alert(1)",
    " JaVa\tScRiPt:x",
    "vbscript:x",
    "data:text/html,<script>1</script>",
    "file:///etc/passwd",
    "../../../etc/passwd",
    "/etc/passwd",
    "cid:../../x",
    "http://127.0.0.1/x",
    "url(http://x/y)",
    "#",
    "#a",
    "expression(alert(1))",
    "\x00",
    "\ud800",
    "data:image/svg+xml,<svg onload=alert(1)>",
    "https://news.example.org/ok",
]


@st.composite
def markup(draw: st.DrawFn, depth: int = 0) -> str:
    """Tag soup made of the elements and attribute values attackers use, nested, often unclosed."""
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.integers(0, 3))
        if kind == 0 or depth > 4:
            parts.append(draw(st.text(alphabet=string.printable + "\x00\x0c\ud800é<>&\"'", max_size=12)))
        else:
            tag = draw(st.sampled_from(DENY_TAGS))
            attributes = " ".join(
                f'{draw(st.sampled_from(DENY_ATTRS))}="{draw(st.sampled_from(HOSTILE_VALUES))}"'
                for _ in range(draw(st.integers(0, 3)))
            )
            closing = f"</{tag}>" if draw(st.booleans()) else ""
            parts.append(f"<{tag} {attributes}>{draw(markup(depth + 1))}{closing}")
    return "".join(parts)


def inside_nothing(reference: str) -> bool:
    return False  # a cleaned fragment refers to no file at all until an exporter places its images


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(markup())
def test_sanitizer_output_is_xhtml_with_nothing_from_the_deny_list(html: str) -> None:
    root = parse_fragment(html or " ")
    result = clean(root, Resolver(ResolveContext(parts_by_cid={"ok": PNG})), "https://news.example.org/a/")
    fragment = f'<div xmlns="http://www.w3.org/1999/xhtml">{result.body}</div>'.encode()
    embedded = {r.name for r in result.resources if r.status is ResourceStatus.EMBEDDED}
    assert markup_problems(fragment, lambda ref: ref in embedded) == []  # parses as XML, or raises here


@settings(max_examples=300, deadline=None)
@given(
    st.text(max_size=80),
    st.sampled_from(
        [
            None,
            "https://news.example.org/a/b.html",
            "http://[::1]:8/",
            "https://xn--nxasmq6b.example/",
            "file:///etc/",
            "about:blank",
        ]
    ),
)
def test_url_resolution_gives_a_url_or_none(ref: str, base: str | None) -> None:
    resolved = absolute(ref, base)
    assert resolved is None or isinstance(resolved, str)
    if resolved is not None:
        normalized = normalize_href(resolved)
        assert normalized is None or (normalized.isascii() and " " not in normalized)
    try:
        parse_data_uri(ref)
    except ArchiverError:
        pass


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A saved page's folder with one image, beside a secret it must never read."""
    root = tmp_path_factory.mktemp("resolve")
    (root / "secret.png").write_bytes(PNG)
    (root / "page" / "page_files").mkdir(parents=True)
    (root / "page" / "page_files" / "a.png").write_bytes(PNG)
    (root / "page" / "page_files" / "out.png").symlink_to(root / "secret.png")
    (root / "page" / "notes.txt").write_text("not a picture", encoding="utf-8")
    return root


REFS = st.lists(
    st.sampled_from(
        [
            "..",
            ".",
            "page_files",
            "a.png",
            "secret.png",
            "out.png",
            "notes.txt",
            "page",
            "%2e%2e",
            "/",
            "\\",
            "file:",
            "cid:",
            "data:",
            "//",
            "?",
            "#",
            "%00",
            "~",
            "etc",
            "passwd",
        ]
    ),
    max_size=8,
).map("".join) | st.text(max_size=40)  # references built from the folder's own names, and any text


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(REFS)
def test_resolution_never_reads_outside_the_input_folder(folder: Path, ref: str) -> None:
    context = ResolveContext(base_url="https://news.example.org/a/", local_files=FolderFiles(folder / "page"))
    resource = Resolver(context).resolve(ref)  # never raises: a reference that fails is MISSING with a reason
    if resource.status is ResourceStatus.EMBEDDED and resource.resolved_by == "file":
        assert "page_files/a.png" in ref.replace("\\", "/") or ref.endswith("a.png"), ref
        assert "out.png" not in ref and "secret" not in ref


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(REFS)
@example(ref="..//page")  # the folder itself, reached from its parent: no file (CI found it refused)
@example(ref="../page/page_files/a.png")  # out of the folder and back in by its own name: read
def test_a_page_folder_through_a_cluster_store_resolves_as_on_the_disk(folder: Path, ref: str) -> None:
    """--store: the folder's listing in the store gives each reference the same bytes, or the same
    refusal in the same words, as the folder itself."""
    pytest.importorskip("fsspec", reason="pip install 'archiver[cluster]'")
    from archiver.readers import html_page
    from archiver.readers.stored import Putter, StoredFolder
    from archiver.runtime.shared_store import SharedStore

    store = SharedStore((folder / "store").as_uri())
    page = folder / "page" / "page.html"
    page.touch()
    stored = Putter(store).put(page, "page/page.html", html_page.READER)
    base = "https://news.example.org/a/"
    here = Resolver(ResolveContext(base_url=base, local_files=FolderFiles(folder / "page"))).resolve(ref)
    there = Resolver(ResolveContext(base_url=base, local_files=StoredFolder(store, stored.beside))).resolve(
        ref
    )
    assert (there.status, there.reason, there.sha256, there.resolved_by) == (
        here.status,
        here.reason,
        here.sha256,
        here.resolved_by,
    )


HEADERS = [
    "From",
    "To",
    "Subject",
    "Date",
    "Message-ID",
    "MIME-Version",
    "Content-Type",
    "Content-Transfer-Encoding",
    "Content-ID",
    "Content-Location",
    "Content-Disposition",
    "X-Junk",
]
VALUES = [
    "multipart/related; boundary=b",
    'multipart/alternative; boundary="c"',
    "text/html; charset=utf-8",
    "text/html; charset=x-none",
    'text/plain; charset="',
    "image/png",
    "base64",
    "quoted-printable",
    "<a@b>",
    "=?utf-8?B?w6k=?=",
    "=?utf-8?Q?broken",
    "Tue, 2 Apr 2024 10:00:00 +0000",
    "not a date",
    "ada@example.org",
    "",
    "\x00",
    "é",
    "https://news.example.org/x",
    "8bit",
    "7bit",
]
BODIES = [
    "--b",
    "--b--",
    "--c",
    "--c--",
    '<p>Hello <img src="cid:a@b"></p>',
    "iVBORw0KGgo=",
    "=3D=\r\n",
    "<html><body>text</body></html>",
    "",
    "\x00\xff",
    "Content-Type: text/html",
    "\r\n",
]


@st.composite
def message_bytes(draw: st.DrawFn) -> bytes:
    headers = [
        f"{draw(st.sampled_from(HEADERS))}: {draw(st.sampled_from(VALUES))}"
        for _ in range(draw(st.integers(0, 8)))
    ]
    body = [draw(st.sampled_from(BODIES)) for _ in range(draw(st.integers(0, 10)))]
    text = "\r\n".join(headers) + "\r\n\r\n" + "\r\n".join(body)
    data = text.encode("utf-8", "surrogatepass")
    cut = draw(st.integers(0, len(data)))
    return data if draw(st.booleans()) else data[:cut]


@settings(max_examples=300, deadline=None)
@given(message_bytes())
def test_the_mime_reader_raises_only_archiver_errors(data: bytes) -> None:
    source = Source(path="m.eml", kind="eml", sha256="0" * 64, size=len(data))
    try:
        article = message_article(parse_message(data), source, None)
    except ArchiverError:
        return
    etree.fromstring(f"<div>{article.body}</div>")  # the body is well-formed whatever came in


# -- found by fuzz/fuzz_readers.py ---------------------------------------------------------------

UNPARSED_MULTIPART = (
    b"From: a@example.org\r\nSubject: Alternatives\r\nMIME-Version: 1.0\r\n"
    b'Content-Type: multipart/alternative; boundary="o"\r\n\r\n'
    b"--o\r\nContent-Type: text/plain\r\n\r\nThe plain words.\r\n"
    b'--o\r\nContent-Type: multipart/related; boundary="x"\r\n\r\n'
    b"--y\r\nContent-Type: text/html\r\n\r\n<p>The html words.</p>\r\n--o--\r\n"
)


def test_a_multipart_whose_parts_did_not_parse_still_gives_its_text() -> None:
    """Its boundary never comes: CPython's get_body() raises AttributeError on such a message."""
    from email import policy
    from email.parser import BytesParser

    with pytest.raises(AttributeError):
        BytesParser(policy=policy.default).parsebytes(UNPARSED_MULTIPART).get_body(preferencelist=("html",))
    source = Source(path="m.eml", kind="eml", sha256="0" * 64, size=len(UNPARSED_MULTIPART))
    article = message_article(parse_message(UNPARSED_MULTIPART), source, None)
    assert "The plain words." in article.body or "The html words." in article.body


def test_control_characters_in_attributes_do_not_fail_the_page(tmp_path: Path) -> None:
    from tests.helpers import read_one
    from tests.hostile_corpus import page

    path = tmp_path / "page.html"
    path.write_text(
        page("Controls", '<p>Text <img src="a\x01b.png" alt="x\x02y"> more.</p>'), encoding="utf-8"
    )
    article = read_one(path)
    assert article.title == "Controls" and "more." in article.body


def test_a_from_header_cpython_cannot_parse_is_read_raw() -> None:
    """CPython's address parser raises AttributeError on `From: .</` (the fuzzer's find)."""
    data = b"From: .</\r\nSubject: A broken sender\r\n\r\n<p>The words of the message.</p>\r\n"
    with pytest.raises(AttributeError):
        parse_message(data).get("From")
    source = Source(path="m.eml", kind="eml", sha256="0" * 64, size=len(data))
    article = message_article(parse_message(data), source, None)
    assert article.title == "A broken sender" and "The words of the message." in article.body
